using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// A private OpenSSH server on a free 127.0.0.1 port that lets the current user in with a generated key, so
/// <c>ssh://</c> remotes (any repository path on this machine) can be tested. Host and client keys are fresh per
/// server; <see cref="KnownHostsPath"/> trusts exactly this server's host key.
/// </summary>
public sealed class SshGitServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private const int PortAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly TempDirectory _work;

    private SshGitServer(Process process, TempDirectory work, int port)
    {
        _process = process;
        _work = work;
        Port = port;
        ProcessId = process.Id;
    }

    public int Port { get; }

    public int ProcessId { get; }

    /// <summary>The local user the server lets in (the one running the tests).</summary>
    public static string User => Environment.UserName;

    /// <summary>Private key (no passphrase, mode 0600) the server accepts.</summary>
    public string ClientKeyPath => _work.Combine("client_key");

    /// <summary>A second key the server does not accept.</summary>
    public string UnknownClientKeyPath => _work.Combine("unknown_key");

    /// <summary>known_hosts with this server's host key for <c>[127.0.0.1]:PORT</c>.</summary>
    public string KnownHostsPath => _work.Combine("known_hosts");

    /// <summary>known_hosts naming a different key for this server (a host-key mismatch).</summary>
    public string WrongKnownHostsPath => _work.Combine("wrong_known_hosts");

    public string UrlFor(string absoluteRepositoryPath) =>
        $"ssh://{User}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}{Path.GetFullPath(absoluteRepositoryPath)}";

    public static async Task<SshGitServer> StartAsync()
    {
        if (!File.Exists(Sshd))
        {
            throw new InvalidOperationException($"{Sshd} is missing: run scripts/install-deps.sh (package openssh-server)");
        }

        var work = new TempDirectory("sshd");
        try
        {
            GenerateKey(work.Combine("host_key"));
            GenerateKey(work.Combine("client_key"));
            GenerateKey(work.Combine("unknown_key"));
            File.Copy(work.Combine("client_key.pub"), work.Combine("authorized_keys"));
            if (Environment.UserName == "root" && !Directory.Exists("/run/sshd"))
            {
                // sshd started as root insists on its privilege-separation folder.
                Directory.CreateDirectory("/run/sshd");
            }

            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                WriteKnownHosts(work, port);
                var process = StartSshd(WriteConfig(work, port));
                var failure = await WaitUntilListeningAsync(process, port);
                if (failure is null)
                {
                    return new SshGitServer(process, work, port);
                }

                await StopAsync(process);
                if (attempt >= PortAttempts)
                {
                    throw new InvalidOperationException($"sshd did not start on 127.0.0.1:{port}: {failure}");
                }
            }
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(_process);
        }
        finally
        {
            _work.Dispose();
        }
    }

    private static void GenerateKey(string path) =>
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", "stoker-tests", "-f", path);

    private static void WriteKnownHosts(TempDirectory work, int port)
    {
        string Line(string publicKeyFile)
        {
            var parts = File.ReadAllText(work.Combine(publicKeyFile)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return $"[127.0.0.1]:{port.ToString(CultureInfo.InvariantCulture)} {parts[0]} {parts[1]}\n";
        }

        File.WriteAllText(work.Combine("known_hosts"), Line("host_key.pub"));
        File.WriteAllText(work.Combine("wrong_known_hosts"), Line("unknown_key.pub"));
    }

    private static string WriteConfig(TempDirectory work, int port)
    {
        var config = work.Combine("sshd_config");
        File.WriteAllText(config, string.Join('\n',
            $"Port {port.ToString(CultureInfo.InvariantCulture)}",
            "ListenAddress 127.0.0.1",
            $"HostKey {work.Combine("host_key")}",
            $"AuthorizedKeysFile {work.Combine("authorized_keys")}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            // The keys live in a temp folder whose parents are world-writable (/tmp).
            "StrictModes no",
            "UsePAM no",
            "PidFile none",
            "LogLevel ERROR",
            string.Empty));
        return config;
    }

    private static Process StartSshd(string config)
    {
        var start = new ProcessStartInfo(Sshd)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["-D", "-e", "-f", config])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sshd");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string?> WaitUntilListeningAsync(Process process, int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                return $"sshd exited with {process.ExitCode}";
            }

            using (var client = new TcpClient())
            {
                try
                {
                    await client.ConnectAsync("127.0.0.1", port);
                    return null;
                }
                catch (SocketException)
                {
                    // not listening yet
                }
            }

            if (clock.Elapsed > StartTimeout)
            {
                return $"port not open after {StartTimeout.TotalSeconds}s";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var stop = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(stop.Token);
        }
        finally
        {
            process.Dispose();
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        }
    }
}
