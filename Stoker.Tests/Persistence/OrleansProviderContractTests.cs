using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Providers;
using Orleans.Runtime.Membership;
using Orleans.Storage;
using Stoker.Grains.Interfaces;
using Stoker.Silo.Persistence;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Persistence;

/// <summary>
/// Drives the Orleans ADO.NET providers, as <c>UseStokerStorage</c> registers them, through every
/// operation of their contracts against our PostgreSQL schema and queries: what each query must
/// return (versions, ETags, booleans, empty results) is checked here through the providers
/// themselves rather than by reading our SQL back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansProviderContractTests(PostgresServer server)
{
    private static readonly DateTime Start = new(2026, 3, 1, 12, 0, 0, 123, DateTimeKind.Utc);

    [Fact]
    public async Task Clustering_InsertUpdateReadCleanupAndDelete_FollowTheMembershipProtocol()
    {
        var connectionString = await PrepareDatabaseAsync("contract_clustering");
        using var host = BuildHost(connectionString);
        var table = host.Services.GetRequiredService<IMembershipTable>();

        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);

        var active = Entry(port: 11111, generation: 1, SiloStatus.Active, proxyPort: 30000);
        var dead = Entry(port: 11112, generation: 2, SiloStatus.Dead, proxyPort: 30001);
        Assert.True(await table.InsertRowAsync(active, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(dead, empty.Version.Next()));                 // stale table version
        var afterFirst = await table.ReadAllAsync();
        Assert.False(await table.InsertRowAsync(active, afterFirst.Version.Next()));          // row exists
        Assert.True(await table.InsertRowAsync(dead, afterFirst.Version.Next()));

        var all = await table.ReadAllAsync();
        Assert.Equal(2, all.Members.Count);
        Assert.Equal(afterFirst.Version.Version + 1, all.Version.Version);
        var read = Assert.Single((await table.ReadRowAsync(active.SiloAddress)).Members).Item1;
        Assert.Equal(active.SiloAddress, read.SiloAddress);
        Assert.Equal(active.SiloName, read.SiloName);
        Assert.Equal(active.HostName, read.HostName);
        Assert.Equal(active.Status, read.Status);
        Assert.Equal(active.ProxyPort, read.ProxyPort);
        Assert.Equal(active.StartTime, read.StartTime);
        Assert.Equal(active.IAmAliveTime, read.IAmAliveTime);
        Assert.Empty((await table.ReadRowAsync(Entry(port: 1, generation: 1, SiloStatus.Active, 0).SiloAddress)).Members);

        var suspected = Entry(port: 11111, generation: 1, SiloStatus.Active, proxyPort: 30000);
        suspected.SuspectTimes = [Tuple.Create(dead.SiloAddress, Start.AddMinutes(1))];
        var etag = all.Members.Single(m => m.Item1.SiloAddress.Equals(active.SiloAddress)).Item2;
        Assert.False(await table.UpdateRowAsync(suspected, etag, afterFirst.Version.Next()));  // stale table version
        Assert.True(await table.UpdateRowAsync(suspected, etag, all.Version.Next()));
        var updated = Assert.Single((await table.ReadRowAsync(active.SiloAddress)).Members).Item1;
        var vote = Assert.Single(updated.SuspectTimes!);
        Assert.Equal(dead.SiloAddress, vote.Item1);
        Assert.Equal(Start.AddMinutes(1), vote.Item2);

        var versionBeforeHeartbeat = (await table.ReadAllAsync()).Version.Version;
        active.IAmAliveTime = Start.AddMinutes(5);
        await table.UpdateIAmAliveAsync(active);
        var heartbeat = await table.ReadRowAsync(active.SiloAddress);
        Assert.Equal(Start.AddMinutes(5), heartbeat.Members.Single().Item1.IAmAliveTime);
        Assert.Equal(versionBeforeHeartbeat, heartbeat.Version.Version);

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            host.Services,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = connectionString }),
            Options.Create(new GatewayOptions()),
            host.Services.GetRequiredService<IOptions<ClusterOptions>>());
        await gateways.InitializeGatewayListProvider();
        var gateway = Assert.Single(await gateways.GetGateways());
        Assert.Equal(SiloAddress.New(IPAddress.Loopback, 30000, 1).ToGatewayUri(), gateway);

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Start.AddDays(1)));
        Assert.Equal([active.SiloAddress], (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress));

        await table.DeleteMembershipTableEntriesAsync(PersistenceTestSilo.ClusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var reset = await table.ReadAllAsync();
        Assert.Empty(reset.Members);
        Assert.Equal(0, reset.Version.Version);
    }

    [Fact]
    public async Task Reminders_UpsertReadRangeAndRemove_FollowTheReminderTableContract()
    {
        var connectionString = await PrepareDatabaseAsync("contract_reminders");
        using var host = BuildHost(connectionString);
        var table = host.Services.GetRequiredService<IReminderTable>();
        await table.StartAsync();

        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("contract-probe", $"grain-{i}")).ToList();
        Assert.Null(await table.ReadRow(grains[0], "missing"));

        var first = await table.UpsertRow(Reminder(grains[0], "a", TimeSpan.FromMinutes(1)));
        var replaced = await table.UpsertRow(Reminder(grains[0], "a", TimeSpan.FromMinutes(2)));
        Assert.NotEqual(first, replaced);
        var row = await table.ReadRow(grains[0], "a");
        Assert.NotNull(row);
        Assert.Equal(grains[0], row.GrainId);
        Assert.Equal(Start, row.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(replaced, row.ETag);

        // Periods beyond int.MaxValue milliseconds travel as bigint.
        await table.UpsertRow(Reminder(grains[0], "long", TimeSpan.FromDays(40)));
        Assert.Equal(TimeSpan.FromDays(40), (await table.ReadRow(grains[0], "long"))!.Period);
        foreach (var grain in grains.Skip(1))
        {
            await table.UpsertRow(Reminder(grain, "a", TimeSpan.FromMinutes(1)));
        }

        Assert.Equal(["a", "long"], (await table.ReadRows(grains[0])).Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.Equal(["a"], (await table.ReadRows(grains[1])).Reminders.Select(r => r.ReminderName));

        // The provider picks one of two range queries by comparing the bounds as signed integers;
        // every kind of range must select exactly the grains whose hash lies in (begin, end] on the ring.
        var all = (await table.ReadRows(0u, 0u)).Reminders;
        Assert.Equal(grains.Count + 1, all.Count);
        (uint Begin, uint End)[] ranges =
        [
            (0u, uint.MaxValue / 2), (uint.MaxValue / 2, uint.MaxValue), (0x7FFF_FFF0u, 0x8000_0010u),
            (0xC000_0000u, 0x4000_0000u), (0x4000_0000u, 0xC000_0000u), (0x9000_0000u, 0x1000_0000u),
            (grains[3].GetUniformHashCode() - 1, grains[3].GetUniformHashCode()),
        ];
        foreach (var (begin, end) in ranges)
        {
            var expected = all.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(r => $"{r.GrainId}/{r.ReminderName}");
            var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => $"{r.GrainId}/{r.ReminderName}");
            Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        }

        Assert.False(await table.RemoveRow(grains[0], "a", first!));    // stale ETag
        Assert.True(await table.RemoveRow(grains[0], "a", replaced!));
        Assert.False(await table.RemoveRow(grains[0], "a", replaced!)); // already gone
        Assert.Null(await table.ReadRow(grains[0], "a"));

        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(0u, 0u)).Reminders);
    }

    [Fact]
    public async Task GrainStorage_WriteReadClearAndConflicts_FollowTheGrainStorageContract()
    {
        var connectionString = await PrepareDatabaseAsync("contract_storage");
        var host = PersistenceTestSilo.Build(
            new StokerStorageOptions { ConnectionString = connectionString },
            FreePort.Next(),
            FreePort.Next(),
            configure: silo => silo.Services.Configure<AdoNetGrainStorageOptions>(
                ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, o => o.DeleteStateOnClear = true));
        await host.StartAsync();
        try
        {
            var options = host.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>();
            Assert.IsType<OrleansGrainStorageSerializer>(options.Get(StokerStorage.Name).GrainStorageSerializer);
            Assert.IsType<OrleansGrainStorageSerializer>(options.Get(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME).GrainStorageSerializer);
            var keepsRow = host.Services.GetRequiredKeyedService<IGrainStorage>(StokerStorage.Name);
            var deletesRow = host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
            GrainId[] keys =
            [
                GrainId.Create("contract-probe", "string-key"),
                GrainId.Create(GrainType.Create("contract-probe"), GrainIdKeyExtensions.CreateIntegerKey(42)),
                GrainId.Create(GrainType.Create("contract-probe"), GrainIdKeyExtensions.CreateIntegerKey(42, "ext")),
                GrainId.Create(GrainType.Create("contract-probe"), GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"))),
                GrainId.Create(GrainType.Create("contract-probe"), GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), "ext")),
            ];

            foreach (var key in keys)
            {
                await CheckLifecycleAsync(keepsRow, "probe", key, deleteOnClear: false);
            }

            // The same keys under another state name, through the provider that deletes rows on clear.
            foreach (var key in keys)
            {
                await CheckLifecycleAsync(deletesRow, "other", key, deleteOnClear: true);
            }

            // Every key and state name kept its own row: no write above touched another one's state.
            foreach (var key in keys)
            {
                var state = new GrainState<PersistenceProbeState>();
                await keepsRow.ReadStateAsync("probe", key, state);
                Assert.Equal($"after clear probe {key}", state.State!.Note);
            }
        }
        finally
        {
            await PersistenceTestSilo.StopAsync(host);
        }
    }

    /// <param name="stateName">What Orleans passes as the "grain type": the name in <c>[PersistentState(name, …)]</c>.</param>
    private static async Task CheckLifecycleAsync(IGrainStorage storage, string stateName, GrainId key, bool deleteOnClear)
    {
        var fresh = new GrainState<PersistenceProbeState>();
        await storage.ReadStateAsync(stateName, key, fresh);
        Assert.False(fresh.RecordExists, $"{key} should not exist yet");
        Assert.Null(fresh.ETag);

        var writer = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = $"first {stateName} {key}", Ticks = 1 });
        await storage.WriteStateAsync(stateName, key, writer);
        Assert.True(writer.RecordExists);
        var firstETag = writer.ETag;
        Assert.NotNull(firstETag);

        var reader = new GrainState<PersistenceProbeState>();
        await storage.ReadStateAsync(stateName, key, reader);
        Assert.True(reader.RecordExists);
        Assert.Equal(firstETag, reader.ETag);
        Assert.Equal($"first {stateName} {key}", reader.State!.Note);

        // A second activation that believes no state exists, or holds an old ETag, must not overwrite.
        var newcomer = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "lost" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, key, newcomer));
        writer.State!.Note = $"second {stateName} {key}";
        await storage.WriteStateAsync(stateName, key, writer);
        Assert.NotEqual(firstETag, writer.ETag);
        var stale = new GrainState<PersistenceProbeState>(new PersistenceProbeState { Note = "lost" }) { ETag = firstETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, key, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(stateName, key, stale));

        await storage.ClearStateAsync(stateName, key, writer);
        Assert.False(writer.RecordExists);
        var cleared = new GrainState<PersistenceProbeState>();
        await storage.ReadStateAsync(stateName, key, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.State!.Note);
        Assert.Equal(writer.ETag, cleared.ETag);
        if (deleteOnClear)
        {
            Assert.Null(cleared.ETag);
        }

        cleared.State.Note = $"after clear {stateName} {key}";
        await storage.WriteStateAsync(stateName, key, cleared);
        var final = new GrainState<PersistenceProbeState>();
        await storage.ReadStateAsync(stateName, key, final);
        Assert.Equal($"after clear {stateName} {key}", final.State!.Note);
        Assert.Equal(cleared.ETag, final.ETag);
    }

    private async Task<string> PrepareDatabaseAsync(string name)
    {
        var connectionString = await server.CreateDatabaseAsync(name);
        await new PostgresSchemaMigrator(connectionString, NullLogger<PostgresSchemaMigrator>.Instance).MigrateAsync();
        return connectionString;
    }

    /// <summary>A silo host that is built but never started: its providers are used directly.</summary>
    private static IHost BuildHost(string connectionString) =>
        PersistenceTestSilo.Build(new StokerStorageOptions { ConnectionString = connectionString }, FreePort.Next(), FreePort.Next());

    private static MembershipEntry Entry(int port, int generation, SiloStatus status, int proxyPort) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, generation),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = proxyPort,
        StartTime = Start,
        IAmAliveTime = Start.AddSeconds(30),
    };

    private static ReminderEntry Reminder(GrainId grain, string name, TimeSpan period) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = Start,
        Period = period,
    };

    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
