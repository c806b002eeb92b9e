using System.Globalization;

namespace Stoker.Demo.Processes;

/// <summary>
/// A private PostgreSQL cluster from the machine's binaries (Debian's postgresql package): <c>initdb</c> in a fresh
/// folder, the server on a loopback port with trust authentication, stopped (fast shutdown) and deleted with the demo.
/// PostgreSQL refuses to run as root, so as root both run as the package's <c>postgres</c> user.
/// </summary>
public sealed class PostgresInstance : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string SystemUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder;

    private PostgresInstance(string folder, ChildProcess server, int port)
    {
        _folder = folder;
        Server = server;
        Port = port;
    }

    public ChildProcess Server { get; }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database=postgres;Username=postgres;Timeout=5";

    public static async Task<PostgresInstance> StartAsync(int port, string logPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Join(BinDirectory, "initdb")))
        {
            throw new DemoException($"--postgres: {BinDirectory}/initdb is missing: run scripts/install-deps.sh (it installs Debian's postgresql package)");
        }

        var root = IsRoot;
        // The postgres user must reach the folder: a private folder under /tmp, owned by that user.
        var folder = Directory.CreateTempSubdirectory("stoker-demo-postgres-").FullName;
        try
        {
            if (root)
            {
                await RequireAsync(await Command.RunAsync("chown", [SystemUser, folder], CommandTimeout, cancellationToken: cancellationToken), "chown");
            }

            var data = Path.Join(folder, "data");
            var initdb = await Command.RunAsync(
                root ? "runuser" : Path.Join(BinDirectory, "initdb"),
                [.. root ? ["-u", SystemUser, "--", Path.Join(BinDirectory, "initdb")] : (string[])[], "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                CommandTimeout,
                folder,
                cancellationToken: cancellationToken);
            await RequireAsync(initdb, "initdb");

            string[] server =
            [
                Path.Join(BinDirectory, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder,
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            ];
            // setpriv execs (runuser would stay as a parent), so the process id the demo holds is the postmaster's.
            var child = root
                ? ChildProcess.Start("postgres", "setpriv", [$"--reuid={SystemUser}", $"--regid={SystemUser}", "--init-groups", .. server], new Dictionary<string, string>(), logPath, folder, stopSignal: "INT", signalGroup: false)
                : ChildProcess.Start("postgres", server[0], server[1..], new Dictionary<string, string>(), logPath, folder, stopSignal: "INT", signalGroup: false);
            var instance = new PostgresInstance(folder, child, port);
            await instance.WaitReadyAsync(cancellationToken);
            return instance;
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(TimeSpan.FromSeconds(15));
        TryDelete(_folder);
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (Server.HasExited)
            {
                throw new DemoException($"PostgreSQL exited with {Server.ExitCode} while starting:\n{Server.Tail()}");
            }

            var ready = await Command.RunAsync(Path.Join(BinDirectory, "pg_isready"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres"], TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
            if (ready.Succeeded)
            {
                return;
            }

            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(60))
            {
                throw new DemoException($"PostgreSQL on 127.0.0.1:{Port} did not accept connections within 60 s:\n{Server.Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RequireAsync(CommandResult result, string what) =>
        result.Succeeded ? Task.CompletedTask : throw new DemoException($"--postgres: {what} failed ({result.ExitCode}): {result.Output}");

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; the machine's temp cleaning takes it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
