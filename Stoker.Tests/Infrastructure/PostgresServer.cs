using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL 15 cluster for tests: <c>initdb</c> in a temp folder, served on a free
/// loopback port with trust authentication and durability switched off for speed; stopped and
/// deleted on dispose. Share one per test run through <see cref="PostgresCollection"/> and give each
/// test class its own database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string SystemUser = "postgres";
    private const int PortAttempts = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(30);

    private TempDirectory? work;
    private string? connectionString;

    /// <summary>For xunit fixtures; call <see cref="InitializeAsync"/> (xunit does) or use <see cref="StartAsync"/>.</summary>
    public PostgresServer()
    {
    }

    /// <summary>Superuser connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString => connectionString ?? throw new InvalidOperationException("The PostgreSQL server is not started.");

    public int Port { get; private set; }

    private string DataDirectory => work!.Combine("data");

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"database name \"{name}\" must match {DatabaseName()}", nameof(name));
        }

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"{BinDirectory}/initdb is missing: run scripts/install-deps.sh");
        }

        work = new TempDirectory("postgres");
        if (IsRoot && !OperatingSystem.IsWindows())
        {
            // initdb and postgres refuse to run as root; the postgres system user must own the folder
            // and be able to reach it (the shared parent may have been created under a strict umask).
            var parent = Directory.GetParent(work.Path)!.FullName;
            File.SetUnixFileMode(parent, File.GetUnixFileMode(parent) | UnixFileMode.OtherExecute);
            await RunAsync("chown", [SystemUser, work.Path]);
        }

        await RunAsync(Tool("initdb"), ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        for (var attempt = 1; ; attempt++)
        {
            // Another process can take the port between FreePort.Next() and the postmaster's bind.
            var port = FreePort.Next();
            var started = await TryStartAsync(port);
            if (started is null)
            {
                Port = port;
                connectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = "postgres",
                    Database = "postgres",
                    Timeout = 5,
                }.ConnectionString;
                await WaitUntilAcceptingAsync();
                return;
            }

            if (attempt >= PortAttempts)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on 127.0.0.1:{port}: {started}");
            }
        }
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended), keeping its data for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again on the same port.</summary>
    public async Task StartAgainAsync()
    {
        if (await TryStartAsync(Port) is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        await WaitUntilAcceptingAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (work is null)
        {
            return;
        }

        try
        {
            // Idle pooled connections would otherwise log errors when the server goes away.
            NpgsqlConnection.ClearAllPools();
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                // A server that already died is fine: the folder goes either way.
                await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], throwOnFailure: false);
            }
        }
        finally
        {
            work.Dispose();
            work = null;
            connectionString = null;
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private static bool IsRoot => Environment.UserName == "root";

    private static string Tool(string name) => Path.Combine(BinDirectory, name);

    /// <returns><see langword="null"/> when started, else why not.</returns>
    private async Task<string?> TryStartAsync(int port)
    {
        var options = string.Join(
            ' ',
            "-c listen_addresses=127.0.0.1",
            $"-c port={port.ToString(CultureInfo.InvariantCulture)}",
            $"-c unix_socket_directories='{work!.Path}'",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200");
        var log = work.Combine("postgres.log");
        var (exitCode, output) = await RunAsync(
            Tool("pg_ctl"), ["-D", DataDirectory, "-l", log, "-o", options, "-w", "-t", "30", "start"], throwOnFailure: false);
        if (exitCode == 0)
        {
            return null;
        }

        var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
        return $"pg_ctl exited with {exitCode}: {output}\n{serverLog}";
    }

    private Task WaitUntilAcceptingAsync() =>
        Eventually.Until(
            async () =>
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync();
                return true;
            },
            accepted => accepted,
            AcceptTimeout,
            $"PostgreSQL on 127.0.0.1:{Port} to accept connections");

    private static Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments) =>
        RunAsync(file, arguments, throwOnFailure: true);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, bool throwOnFailure)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot && file != "chown")
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", SystemUser, "--", file])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds:0}s");
        }

        var output = (await stdout) + (await stderr);
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output}");
        }

        return (process.ExitCode, output);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
