using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Stoker.Bench.Git;

/// <summary>
/// lighttpd running <c>git-http-backend</c> as CGI: read-only smart HTTP for the repositories under a folder, at
/// <c>http://127.0.0.1:PORT/git/&lt;dir&gt;</c>. Killed (with its CGI children) on dispose.
/// </summary>
public sealed class GitHttpServer : IAsyncDisposable
{
    private const string GitHttpBackend = "/usr/lib/git-core/git-http-backend";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;

    private GitHttpServer(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/git";
    }

    public string BaseUrl { get; }

    public string UrlFor(string directoryName) => $"{BaseUrl}/{directoryName}";

    public static async Task<GitHttpServer> StartAsync(string projectRoot, string workDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(GitHttpBackend))
        {
            throw new InvalidOperationException($"{GitHttpBackend} is missing: install git (scripts/install-deps.sh)");
        }

        var docRoot = Directory.CreateDirectory(Path.Join(workDirectory, "docroot")).FullName;
        var uploads = Directory.CreateDirectory(Path.Join(workDirectory, "uploads")).FullName;
        var port = FreePort();
        var config = Path.Join(workDirectory, "lighttpd.conf");
        await File.WriteAllTextAsync(config, $$"""
            server.modules = ("mod_alias", "mod_setenv", "mod_cgi")
            server.bind = "127.0.0.1"
            server.port = {{port.ToString(CultureInfo.InvariantCulture)}}
            server.document-root = "{{docRoot}}"
            server.errorlog = "{{Path.Join(workDirectory, "error.log")}}"
            server.upload-dirs = ("{{uploads}}")
            server.stream-response-body = 1
            alias.url = ("/git" => "{{GitHttpBackend}}")
            $HTTP["url"] =~ "^/git" {
              cgi.assign = ("" => "")
              setenv.set-environment = ("GIT_PROJECT_ROOT" => "{{Path.GetFullPath(projectRoot)}}", "GIT_HTTP_EXPORT_ALL" => "1",
                "GIT_CONFIG_NOSYSTEM" => "1", "GIT_CONFIG_GLOBAL" => "/dev/null", "GIT_CONFIG_COUNT" => "1",
                "GIT_CONFIG_KEY_0" => "safe.directory", "GIT_CONFIG_VALUE_0" => "*")
            }

            """, cancellationToken);

        var start = new ProcessStartInfo("lighttpd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-D", "-f", config })
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start lighttpd");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start lighttpd ({e.Message}): install it (scripts/install-deps.sh)", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new GitHttpServer(process, port);
        try
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"lighttpd exited with {process.ExitCode}: {ReadLog(workDirectory)}");
                }

                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    return server;
                }
                catch (SocketException) when (clock.Elapsed < StartTimeout)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(stop.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // already gone, or will be reaped by the OS
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string ReadLog(string workDirectory)
    {
        var log = Path.Join(workDirectory, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no error log)";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
