using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// lighttpd running git-http-backend as CGI: the smart HTTP protocol (clone, fetch, ls-remote and push) for every
/// repository under a project root, bare or not, at <c>http://127.0.0.1:PORT/git/&lt;dir&gt;</c>.
/// </summary>
public sealed class SmartHttpGitServer : IAsyncDisposable
{
    private const string Lighttpd = "lighttpd";
    private const string GitHttpBackend = "/usr/lib/git-core/git-http-backend";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private const int PortAttempts = 5;

    private readonly Process _process;
    private readonly TempDirectory _work;

    private SmartHttpGitServer(Process process, TempDirectory work, int port)
    {
        _process = process;
        _work = work;
        BaseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/git";
        ProcessId = process.Id;
    }

    /// <summary><c>http://127.0.0.1:PORT/git</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The lighttpd process, so tests can prove it is gone after dispose.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Replaces the one user and password basic auth accepts (a server started with basic auth): lighttpd reads its
    /// plain user file again on every request, so the old password is refused from the next request on, no restart.
    /// </summary>
    public void ReplaceBasicAuth(string user, string password)
    {
        var users = _work.Combine("users");
        if (!File.Exists(users))
        {
            throw new InvalidOperationException("this server was started without basic auth");
        }

        var next = users + ".next";
        File.WriteAllText(next, $"{user}:{password}\n");
        File.Move(next, users, overwrite: true);
    }

    public string UrlFor(string repositoryDirectoryName) => $"{BaseUrl}/{repositoryDirectoryName.Trim('/')}";

    public static Task<SmartHttpGitServer> StartAsync(string projectRoot) => StartCoreAsync(projectRoot, basicAuth: null);

    /// <summary>As <see cref="StartAsync(string)"/>, but every request must carry HTTP basic auth with this user and password.</summary>
    public static Task<SmartHttpGitServer> StartAsync(string projectRoot, (string User, string Password) requireBasicAuth) =>
        StartCoreAsync(projectRoot, requireBasicAuth);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var stop = new CancellationTokenSource(StopTimeout);
            await _process.WaitForExitAsync(stop.Token);
        }
        finally
        {
            _process.Dispose();
            _work.Dispose();
        }
    }

    private static async Task<SmartHttpGitServer> StartCoreAsync(string projectRoot, (string User, string Password)? basicAuth)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectRoot);
        var root = Path.GetFullPath(projectRoot);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"project root \"{root}\" does not exist");
        }

        if (!File.Exists(GitHttpBackend))
        {
            throw new InvalidOperationException($"{GitHttpBackend} is missing: run scripts/install-deps.sh");
        }

        var work = new TempDirectory("lighttpd");
        try
        {
            // Another process can take the port between FreePort.Next() and lighttpd's bind; try a few.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var config = WriteConfig(work, root, port, basicAuth);
                var process = StartLighttpd(config);
                var failure = await WaitUntilListeningAsync(process, port);
                if (failure is null)
                {
                    return new SmartHttpGitServer(process, work, port);
                }

                await StopAsync(process);
                var log = ReadErrorLog(work);
                if (attempt >= PortAttempts || !log.Contains("Address already in use", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"lighttpd did not start on 127.0.0.1:{port}: {failure}\n{log}");
                }
            }
        }
        catch
        {
            work.Dispose();
            throw;
        }
    }

    private static string WriteConfig(TempDirectory work, string root, int port, (string User, string Password)? basicAuth)
    {
        var docRoot = Directory.CreateDirectory(work.Combine("docroot")).FullName;
        var uploads = Directory.CreateDirectory(work.Combine("uploads")).FullName;
        var config = new StringBuilder()
            .AppendLine("server.modules = (\"mod_auth\", \"mod_authn_file\", \"mod_alias\", \"mod_setenv\", \"mod_cgi\")")
            .AppendLine("server.bind = \"127.0.0.1\"")
            .AppendLine(CultureInfo.InvariantCulture, $"server.port = {port}")
            .AppendLine(CultureInfo.InvariantCulture, $"server.document-root = {Quote(docRoot)}")
            .AppendLine(CultureInfo.InvariantCulture, $"server.errorlog = {Quote(work.Combine("error.log"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"server.upload-dirs = ({Quote(uploads)})")
            // Streaming request bodies breaks chunked pushes (packs over http.postBuffer) through mod_cgi; responses stream fine.
            .AppendLine("server.stream-response-body = 1")
            .AppendLine(CultureInfo.InvariantCulture, $"alias.url = (\"/git\" => {Quote(GitHttpBackend)})")
            .AppendLine("$HTTP[\"url\"] =~ \"^/git\" {")
            .AppendLine("  cgi.assign = (\"\" => \"\")")
            // Push is allowed without authentication too (receivepack), and repositories owned by another user are served.
            .AppendLine(
                "  setenv.set-environment = (\"GIT_PROJECT_ROOT\" => " + Quote(root) + ", \"GIT_HTTP_EXPORT_ALL\" => \"1\", " +
                "\"GIT_CONFIG_NOSYSTEM\" => \"1\", \"GIT_CONFIG_GLOBAL\" => \"/dev/null\", \"GIT_CONFIG_COUNT\" => \"3\", " +
                "\"GIT_CONFIG_KEY_0\" => \"http.receivepack\", \"GIT_CONFIG_VALUE_0\" => \"true\", " +
                "\"GIT_CONFIG_KEY_1\" => \"http.uploadpack\", \"GIT_CONFIG_VALUE_1\" => \"true\", " +
                "\"GIT_CONFIG_KEY_2\" => \"safe.directory\", \"GIT_CONFIG_VALUE_2\" => \"*\")")
            .AppendLine("}");
        if (basicAuth is { } auth)
        {
            if (auth.User.Contains(':', StringComparison.Ordinal) || auth.User.Contains('\n', StringComparison.Ordinal) ||
                auth.Password.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException("basic auth user must not contain ':' or a line break, nor the password a line break");
            }

            var users = work.Combine("users");
            File.WriteAllText(users, $"{auth.User}:{auth.Password}\n");
            config
                .AppendLine("auth.backend = \"plain\"")
                .AppendLine(CultureInfo.InvariantCulture, $"auth.backend.plain.userfile = {Quote(users)}")
                .AppendLine("auth.require = (\"/git\" => (\"method\" => \"basic\", \"realm\" => \"git\", \"require\" => \"valid-user\"))");
        }

        var path = work.Combine("lighttpd.conf");
        File.WriteAllText(path, config.ToString());
        return path;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static Process StartLighttpd(string config)
    {
        var start = new ProcessStartInfo(Lighttpd)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(config);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start lighttpd");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start lighttpd ({e.Message}): run scripts/install-deps.sh", e);
        }

        // Drain the pipes so lighttpd can never block on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <returns>null once the port accepts connections, else why not.</returns>
    private static async Task<string?> WaitUntilListeningAsync(Process process, int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                return $"lighttpd exited with {process.ExitCode}";
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
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var stop = new CancellationTokenSource(StopTimeout);
        await process.WaitForExitAsync(stop.Token);
        process.Dispose();
    }

    private static string ReadErrorLog(TempDirectory work)
    {
        var log = work.Combine("error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no error log)";
    }
}
