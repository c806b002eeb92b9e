using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// A real kubectl pointed at a Stoker silo through its own kubeconfig (server and bearer token), as a user sets it
/// up (docs/kubectl.md). Runs one command at a time with a deadline, or a long-running one (<c>get -w</c>) whose
/// output lines are collected. Every process it starts is killed on dispose, and its temp folder deleted.
/// </summary>
public sealed class KubectlClient : IDisposable
{
    private readonly TempDirectory _temp = new("kubectl");
    private readonly List<Process> _running = [];

    /// <param name="certificateAuthorityFile">The CA to verify an https server with (a silo's <c>CaFile</c>); kubectl sends a token only over HTTPS.</param>
    public KubectlClient(string binary, Uri server, string? token, string @namespace = "default", string? certificateAuthorityFile = null)
    {
        Binary = binary;
        KubeconfigPath = _temp.Combine("kubeconfig");
        var user = token is null ? "    {}" : $"    token: {token}";
        var authority = certificateAuthorityFile is null ? "" : $"\n    certificate-authority: {certificateAuthorityFile}";
        File.WriteAllText(KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stoker
              cluster:
                server: {server.ToString().TrimEnd('/')}{authority}
            users:
            - name: stoker
              user:
            {user}
            contexts:
            - name: stoker
              context:
                cluster: stoker
                user: stoker
                namespace: {@namespace}
            current-context: stoker
            """);
    }

    public string Binary { get; }

    public string KubeconfigPath { get; }

    /// <summary>A folder for the test's manifests; deleted with the client.</summary>
    public string WorkFolder => _temp.Path;

    /// <summary>Runs <c>kubectl ARGS</c>, optionally with standard input, and waits for it (at most a minute).</summary>
    public async Task<KubectlResult> RunAsync(IEnumerable<string> args, string? stdin = null)
    {
        using var process = Start(args, stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within a minute");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args));
    }

    public Task<KubectlResult> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>Starts a command that runs until stopped (<c>get -w</c>); its output lines are collected as they come.</summary>
    public KubectlStream StartStream(params string[] args)
    {
        var process = Start(args, redirectInput: false);
        return new KubectlStream(process);
    }

    public void Dispose()
    {
        foreach (var process in _running)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }

            process.Dispose();
        }

        _temp.Dispose();
    }

    private Process Start(IEnumerable<string> args, bool redirectInput)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = _temp.Path,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(KubeconfigPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // kubectl's discovery and OpenAPI caches live under the home folder: one per client, never shared between tests.
        info.Environment["HOME"] = _temp.Path;
        info.Environment["KUBECACHEDIR"] = _temp.Combine("cache");
        info.Environment.Remove("KUBECONFIG");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Binary}");
        _running.Add(process);
        return process;
    }

    /// <summary>
    /// The kubectl binaries the tests run: Debian's <c>kubernetes-client</c> (1.20, unpacked by
    /// <c>scripts/install-deps.sh</c> into <see cref="DebianKubectlPath"/>), and the machine's <c>kubectl</c> when it
    /// is another one (newer clients speak OpenAPI v3 and aggregated discovery).
    /// </summary>
    public static IReadOnlyList<string> Binaries()
    {
        var found = new List<string>();
        if (File.Exists(DebianKubectlPath))
        {
            found.Add(DebianKubectlPath);
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "kubectl");
            if (File.Exists(candidate))
            {
                found.Add(candidate);
                break;
            }
        }

        return found.Count > 0
            ? found
            : throw new InvalidOperationException($"no kubectl found: run scripts/install-deps.sh (it unpacks Debian's kubernetes-client into {DebianKubectlPath})");
    }

    /// <summary>Where <c>scripts/install-deps.sh</c> unpacks Debian's kubectl (<c>STOKER_TOOLS</c>, default <c>~/.cache/stoker-tools</c>).</summary>
    public static string DebianKubectlPath =>
        Path.Combine(
            Environment.GetEnvironmentVariable("STOKER_TOOLS") is { Length: > 0 } tools
                ? tools
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "stoker-tools"),
            "kubernetes-client", "usr", "bin", "kubectl");

    /// <summary>The client's minor version (20 for Debian's), from <c>kubectl version --client</c>.</summary>
    public static int MinorVersion(string binary)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "version", "--client", "-o", "json" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = System.Text.RegularExpressions.Regex.Match(text, "\"minor\":\\s*\"(\\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
