using Stoker.Grains.Interfaces.Messages;
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
            var polled = await host.GatewaySync("ns", "polled").ApplyAndReconcile(ResourceBuilder.Create("polled", _repo.Path, "main", "  polling:\n    interval: 2s"));
            Assert.Equal(first, polled.Status!.LastSyncCommit);
            var agent = new FakeAgent(host.AgentClient, "ns", "polled", "gw-1");
            var desired = await agent.RegisterAsync();
            await agent.ReportSyncedAsync(desired!);
            await Eventually.Until(host.GatewaySync("ns", "polled").Get, r => r!.Status!.DiscoveredGateways?.FirstOrDefault()?.SyncStatus == GatewaySyncStatusValue.Synced,
                TimeSpan.FromSeconds(10), "the report to be aggregated");

            var failing = ResourceBuilder.Create("failing", _repo.Path, "missing", "  polling:\n    enabled: false");
            await host.GatewaySync("ns", "failing").ApplyAndReconcile(failing);
            // The same spec again keeps its generation, so ApplyAndReconcile may answer with the first failure's
            // status: the second failure (and its doubled backoff) is waited for explicitly.
            await host.GatewaySync("ns", "failing").Apply(failing);
            await Eventually.Until(host.GatewaySync("ns", "failing").Get,
                r => r!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message?.Contains("retry in 1m0s", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(30), "the second failure's backoff");
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
        // An unchanged spec keeps its generation, so the status of the earlier failure answers until the reconcile the
        // apply scheduled has run: wait for that one, the second failure in a row, to double the retry.
        var reapplied = restarted.GatewaySync("ns", "failing");
        await reapplied.Apply(ResourceBuilder.Create("failing", _repo.Path, "missing", "  polling:\n    enabled: false"));
        await Eventually.Until(reapplied.Get, r => r!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message?.Contains("retry in 2m0s", StringComparison.Ordinal) == true,
            GatewaySyncApply.Deadline, "the re-applied resource's second failed resolution to retry in 2m0s");
    }

    [Fact]
    public async Task SiloRestart_DesiredVersionsKeepGrowingInTheSameEpoch()
    {
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");
        var connectionString = await postgres.CreateDatabaseAsync("versions_" + Guid.NewGuid().ToString("N")[..8]);
        const string noPolling = "  polling:\n    enabled: false";

        DesiredState beforeRestart;
        var host = await ControlPlaneHost.StartAsync(connectionString);
        var options = host.Options;
        try
        {
            var grain = host.GatewaySync("ns", "versions");
            await grain.ApplyAndReconcile(ResourceBuilder.Create("versions", _repo.Path, "main", noPolling));
            var agent = new FakeAgent(host.AgentClient, "ns", "versions", "gw-1");
            var first = (await agent.RegisterAsync())!;
            _repo.WriteFile("projects/A/p.json", "2");
            var second = _repo.Commit("two");
            await grain.RequestRef(new RefRequest { Ref = "main", Commit = second, RequestedAt = DateTimeOffset.UnixEpoch });
            beforeRestart = (await Eventually.Until(() => Task.FromResult(agent.Inbox.Current), d => d!.Commit == second, TimeSpan.FromSeconds(10), "the second commit"))!;
            Assert.True(beforeRestart.Version > first.Version);
        }
        finally
        {
            await host.DisposeAsync();
        }

        await using var restarted = await ControlPlaneHost.StartAsync(connectionString, reuse: new()
        {
            ClusterId = options.ClusterId,
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            MinimumReminderPeriod = options.MinimumReminderPeriod,
        });

        // The Gateway grain stored no desired state: it rebuilds it from the stored release, never below the old version.
        var again = new FakeAgent(restarted.AgentClient, "ns", "versions", "gw-1");
        var rebuilt = (await again.RegisterAsync())!;
        Assert.Equal(beforeRestart.Epoch, rebuilt.Epoch);
        Assert.Equal(beforeRestart.Commit, rebuilt.Commit);
        Assert.True(rebuilt.Version >= beforeRestart.Version, $"{rebuilt.Version} after {beforeRestart.Version}");

        _repo.WriteFile("projects/A/p.json", "3");
        var third = _repo.Commit("three");
        await restarted.GatewaySync("ns", "versions").RequestRef(new RefRequest { Ref = "main", Commit = third, RequestedAt = DateTimeOffset.UnixEpoch });
        var after = (await Eventually.Until(() => Task.FromResult(again.Inbox.Current), d => d!.Commit == third, TimeSpan.FromSeconds(10), "the third commit"))!;
        Assert.Equal(beforeRestart.Epoch, after.Epoch);
        Assert.True(after.Version > rebuilt.Version, $"{after.Version} after {rebuilt.Version}");
        again.Forget();
    }
}
