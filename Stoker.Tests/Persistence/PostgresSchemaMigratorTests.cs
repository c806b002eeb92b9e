using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Stoker.Silo.Persistence;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Persistence;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaMigratorTests(PostgresServer server)
{
    // What the Orleans 10.4.2 ADO.NET providers read from OrleansQuery: the clustering and reminder
    // providers refuse to start unless every one of their keys is present (DbStoredQueries), and the
    // grain storage asks for its four keys by name (AdoNetGrainStorage.DefaultInitializationQuery).
    private static readonly string[] ProviderQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task MigrateAsync_FreshDatabase_InstallsEveryProviderQuery()
    {
        var connectionString = await server.CreateDatabaseAsync("migrator_fresh");

        var result = await Migrator(connectionString).MigrateAsync();

        Assert.Equal(PostgresSchemaMigrator.LatestSchemaVersion, result.SchemaVersion);
        Assert.Equal(Enumerable.Range(1, PostgresSchemaMigrator.LatestSchemaVersion), result.AppliedSteps);
        var installed = await QueryAsync(connectionString, "SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(ProviderQueryKeys.Order(StringComparer.Ordinal), installed.Order(StringComparer.Ordinal));
        Assert.Equal(installed.Count, result.QueriesChanged);
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_SecondRunChangesNothing()
    {
        var connectionString = await server.CreateDatabaseAsync("migrator_twice");
        await Migrator(connectionString).MigrateAsync();
        var before = await SnapshotAsync(connectionString);

        var second = await Migrator(connectionString).MigrateAsync();

        Assert.Empty(second.AppliedSteps);
        Assert.Equal(0, second.QueriesChanged);
        Assert.Equal(before, await SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task MigrateAsync_TwoSilosAtOnce_BothSucceedAndTheSchemaIsAppliedOnce()
    {
        var connectionString = await server.CreateDatabaseAsync("migrator_concurrent");

        var results = await Task.WhenAll(
            Migrator(connectionString).MigrateAsync(),
            Migrator(connectionString).MigrateAsync(),
            Migrator(connectionString).MigrateAsync());

        Assert.Single(results, r => r.AppliedSteps.Count > 0);
        Assert.All(results, r => Assert.Equal(PostgresSchemaMigrator.LatestSchemaVersion, r.SchemaVersion));
        Assert.Equal(
            [PostgresSchemaMigrator.LatestSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            await QueryAsync(connectionString, "SELECT Version::text FROM stoker_schema_version"));
    }

    [Fact]
    public async Task MigrateAsync_QueryTextChangedInDatabase_RestoresIt()
    {
        var connectionString = await server.CreateDatabaseAsync("migrator_restore");
        await Migrator(connectionString).MigrateAsync();
        var original = await QueryAsync(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'");
        await QueryAsync(connectionString, "UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'ReadFromStorageKey' RETURNING 1");

        var result = await Migrator(connectionString).MigrateAsync();

        Assert.Equal(1, result.QueriesChanged);
        Assert.Equal(original, await QueryAsync(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseMigratedByNewerSilo_LeavesItUnchanged()
    {
        var connectionString = await server.CreateDatabaseAsync("migrator_newer");
        await Migrator(connectionString).MigrateAsync();
        await QueryAsync(connectionString, "INSERT INTO stoker_schema_version (Version, Name) VALUES (9999, 'from_the_future') RETURNING 1");
        await QueryAsync(connectionString, "UPDATE OrleansQuery SET QueryText = 'SELECT 2' WHERE QueryKey = 'ReadFromStorageKey' RETURNING 1");

        var result = await Migrator(connectionString).MigrateAsync();

        Assert.Equal(9999, result.SchemaVersion);
        Assert.Empty(result.AppliedSteps);
        Assert.Equal(0, result.QueriesChanged);
        Assert.Equal(["SELECT 2"], await QueryAsync(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"));
    }

    [Fact]
    public async Task MigrateAsync_NothingListensOnThePort_ErrorNamesHostPortAndSettingButNotPassword()
    {
        var port = FreePort.Next();
        var connectionString = $"Host=127.0.0.1;Port={port};Database=stoker;Username=stoker;Password=pw-must-not-leak;Timeout=3";

        var error = await Assert.ThrowsAsync<PostgresSchemaMigrationException>(() => Migrator(connectionString).MigrateAsync());

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'stoker'", error.Message, StringComparison.Ordinal);
        Assert.Contains(StokerStorageOptions.ConnectionStringSetting, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-must-not-leak", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseDoesNotExist_ErrorNamesTheDatabase()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "no_such_database" }.ConnectionString;

        var error = await Assert.ThrowsAsync<PostgresSchemaMigrationException>(() => Migrator(connectionString).MigrateAsync());

        Assert.Contains("no_such_database", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
    }

    private static PostgresSchemaMigrator Migrator(string connectionString) =>
        new(connectionString, NullLogger<PostgresSchemaMigrator>.Instance);

    /// <summary>Tables, columns, indexes, query rows and schema versions, one line each, in a stable order.</summary>
    private static async Task<List<string>> SnapshotAsync(string connectionString) =>
    [
        .. await QueryAsync(
            connectionString,
            """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """),
        .. await QueryAsync(connectionString, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"),
        .. await QueryAsync(connectionString, "SELECT QueryKey || ' ' || md5(QueryText) FROM OrleansQuery ORDER BY 1"),
        .. await QueryAsync(connectionString, "SELECT Version || ' ' || Name || ' ' || AppliedAt FROM stoker_schema_version ORDER BY 1"),
    ];

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
