using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Stoker.Silo.Persistence;

/// <summary>
/// Brings a PostgreSQL database up to the schema the Orleans ADO.NET providers need (tables and the
/// <c>OrleansQuery</c> rows they load at start). Orleans ships no PostgreSQL scripts in its packages,
/// so the SQL is ours, embedded from <c>Persistence/Sql</c>: numbered steps under <c>Schema/</c>
/// (recorded in <c>stoker_schema_version</c>) and one file per provider query under <c>Queries/</c>.
/// Safe to run on every start and from several silos at once: everything happens in one
/// transaction under a PostgreSQL advisory lock.
/// </summary>
public sealed partial class PostgresSchemaMigrator
{
    // Identifies "the Stoker schema migration" among the advisory locks of the database
    // (the ASCII bytes of "STOKER"); any constant works as long as every silo uses the same one.
    private const long AdvisoryLockKey = 0x53_54_4F_4B_45_52;

    private readonly string connectionString;
    private readonly ILogger<PostgresSchemaMigrator> logger;
    private readonly string database;
    private readonly string server;

    public PostgresSchemaMigrator(string connectionString, ILogger<PostgresSchemaMigrator> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        this.connectionString = connectionString;
        this.logger = logger;

        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        database = parsed.Database ?? parsed.Username ?? "(default)";
        server = $"{parsed.Host}:{parsed.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The schema version this build of the silo brings.</summary>
    public static int LatestSchemaVersion => PostgresSchemaScripts.Steps[^1].Version;

    /// <summary>The <c>OrleansQuery</c> keys this build installs.</summary>
    public static IReadOnlyCollection<string> QueryKeys => PostgresSchemaScripts.Queries.Keys;

    public async Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // NpgsqlException covers both server errors (PostgresException: "3D000: database … does
            // not exist", "28P01: password authentication failed for user …") and connection
            // failures ("Failed to connect to host:port"); neither carries the password.
            throw new PostgresSchemaMigrationException(
                $"Could not prepare the Stoker schema in PostgreSQL database '{database}' on {server} " +
                $"(configured by {StokerStorageOptions.ConnectionStringSetting}): {e.Message}",
                e);
        }
    }

    private async Task<SchemaMigrationResult> MigrateCoreAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await LockAsync(connection, cancellationToken).ConfigureAwait(false);

                await ExecuteAsync(
                    connection,
                    """
                    CREATE TABLE IF NOT EXISTS stoker_schema_version
                    (
                        Version   integer     NOT NULL PRIMARY KEY,
                        Name      text        NOT NULL,
                        AppliedAt timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    cancellationToken).ConfigureAwait(false);

                var current = await ScalarAsync<int>(
                    connection, "SELECT coalesce(max(Version), 0) FROM stoker_schema_version", cancellationToken).ConfigureAwait(false);

                if (current > LatestSchemaVersion)
                {
                    // A newer silo already migrated (rolling upgrade in progress): its query texts
                    // are the ones to keep, so this older silo changes nothing.
                    LogSchemaNewerThanSilo(database, server, current, LatestSchemaVersion);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return new SchemaMigrationResult(current, [], 0);
                }

                var applied = new List<int>();
                foreach (var step in PostgresSchemaScripts.Steps.Where(s => s.Version > current))
                {
                    await ExecuteAsync(connection, step.Text, cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(
                        connection,
                        "INSERT INTO stoker_schema_version (Version, Name) VALUES (@version, @name)",
                        cancellationToken,
                        ("version", step.Version),
                        ("name", step.Name)).ConfigureAwait(false);
                    applied.Add(step.Version);
                    LogSchemaStepApplied(database, server, step.Version, step.Name);
                }

                var queriesChanged = 0;
                foreach (var (key, text) in PostgresSchemaScripts.Queries)
                {
                    // Upserted on every start (not only with a schema step) so a fixed query text
                    // reaches existing databases; unchanged rows are left untouched.
                    queriesChanged += await ExecuteAsync(
                        connection,
                        """
                        INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text)
                        ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText
                        WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText
                        """,
                        cancellationToken,
                        ("key", key),
                        ("text", text)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                var version = Math.Max(current, LatestSchemaVersion);
                LogSchemaReady(database, server, version, applied.Count, queriesChanged);
                return new SchemaMigrationResult(version, applied, queriesChanged);
            }
        }
    }

    private async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Transaction-scoped, so the lock is released by commit, rollback or a dropped connection.
        var acquired = await ScalarAsync<bool>(
            connection, "SELECT pg_try_advisory_xact_lock(@key)", cancellationToken, ("key", AdvisoryLockKey)).ConfigureAwait(false);
        if (!acquired)
        {
            LogWaitingForLock(database, server);
            await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", AdvisoryLockKey)).ConfigureAwait(false);
        }
    }

    private static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, string text, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = CreateCommand(connection, text, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ScalarAsync<T>(
        NpgsqlConnection connection, string text, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = CreateCommand(connection, text, parameters);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
        }
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string text, (string Name, object Value)[] parameters)
    {
#pragma warning disable CA2100 // The SQL comes from this assembly's embedded resources, never from input.
        var command = new NpgsqlCommand(text, connection);
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another silo is migrating the PostgreSQL schema of database {Database} on {Server}; waiting for it to finish")]
    private partial void LogWaitingForLock(string database, string server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema step {Version} ({Name}) to PostgreSQL database {Database} on {Server}")]
    private partial void LogSchemaStepApplied(string database, string server, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL database {Database} on {Server} is at schema version {Version} ({StepsApplied} steps applied, {QueriesChanged} provider queries updated now)")]
    private partial void LogSchemaReady(string database, string server, int version, int stepsApplied, int queriesChanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL database {Database} on {Server} is at schema version {Version}, newer than this silo's {SiloVersion}; leaving it unchanged")]
    private partial void LogSchemaNewerThanSilo(string database, string server, int version, int siloVersion);
}
