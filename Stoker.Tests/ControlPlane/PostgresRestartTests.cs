using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>The control plane on PostgreSQL survives a silo restart without re-applying anything.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRestartTests(PostgresServer postgres) : IDisposable
{
    private readonly GitRepository _repo = GitRepository.Create();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task SiloRestart_StateConditionsRosterBackoffAndPollingSurvive()
    {
        _repo.WriteFile("projects/A/p.json", "1");
        var first = _repo.Commit("one");
        var connectionString = await postgres.CreateDatabaseAsync("restart_" + Guid.NewGuid().ToString("N")[..8]);

        var host = await ControlPlaneHost.StartAsync(connectionString);
        var options = host.Options;
        try
        {
            var polled = await host.GatewaySync("ns", "polled").Apply(ResourceBuilder.Create("polled", _repo.Path, "main", "  polling:\n    interval: 2s"));
            Assert.Equal(first, polled.Status!.LastSyncCommit);
            var agent = new FakeAgent(host.AgentClient, "ns", "polled", "gw-1");
            var desired = await agent.RegisterAsync();
            await agent.ReportSyncedAsync(desired!);
            await Eventually.Until(host.GatewaySync("ns", "polled").Get, r => r!.Status!.DiscoveredGateways?.FirstOrDefault()?.SyncStatus == GatewaySyncStatusValue.Synced,
                TimeSpan.FromSeconds(10), "the report to be aggregated");

            var failing = ResourceBuilder.Create("failing", _repo.Path, "missing", "  polling:\n    enabled: false");
            await host.GatewaySync("ns", "failing").Apply(failing);
            var twice = await host.GatewaySync("ns", "failing").Apply(failing);
            Assert.Contains("retry in 1m0s", twice.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }

        _repo.WriteFile("projects/A/p.json", "2");
        var second = _repo.Commit("made while the silo was down");

        await using var restarted = await ControlPlaneHost.StartAsync(connectionString, reuse: new()
        {
            ClusterId = options.ClusterId,
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            MinimumReminderPeriod = options.MinimumReminderPeriod,
        });

        var afterRestart = await restarted.GatewaySync("ns", "polled").Get();
        Assert.NotNull(afterRestart);
        Assert.Equal("gw-1", Assert.Single(afterRestart.Status!.DiscoveredGateways!).Name);
        Assert.Equal(GatewaySyncStatusValue.Synced, afterRestart.Status.DiscoveredGateways![0].SyncStatus);
        Assert.Equal(ConditionStatus.True, afterRestart.Status.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Status);

        var polledAgain = await Eventually.Until(restarted.GatewaySync("ns", "polled").Get, r => r!.Status!.LastSyncCommit == second,
            TimeSpan.FromSeconds(30), "the persisted poll reminder to fire and resolve the new commit");
        Assert.Equal(second, polledAgain!.Status!.LastSyncCommit);

        var failing2 = await restarted.GatewaySync("ns", "failing").Get();
        Assert.Contains("retry in 1m0s", failing2!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message, StringComparison.Ordinal);
        var third = await restarted.GatewaySync("ns", "failing").Apply(ResourceBuilder.Create("failing", _repo.Path, "missing", "  polling:\n    enabled: false"));
        Assert.Contains("retry in 2m0s", third.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message, StringComparison.Ordinal);
    }
}
