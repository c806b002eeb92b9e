using System.Diagnostics;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>Fan-out to gateways, aggregation of their reports, agent sessions and deletion.</summary>
public sealed class FanOutAndSessionTests : IClassFixture<ControlPlaneFixture>, IDisposable
{
    private const string NoPolling = "  polling:\n    enabled: false";
    private readonly ControlPlaneFixture _fixture;
    private readonly GitRepository _repo = GitRepository.Create();

    public FanOutAndSessionTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task NewCommit_ThousandRegisteredGateways_EveryObserverReceivesThatVersion()
    {
        var grain = _fixture.Host.GatewaySync("ns", "fleet");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("fleet", _repo.Path, "main", NoPolling));
        var agents = Enumerable.Range(0, 1000).Select(i => new FakeAgent(_fixture.Host.AgentClient, "ns", "fleet", $"gw-{i:D4}")).ToList();
        foreach (var batch in agents.Chunk(100))
        {
            await Task.WhenAll(batch.Select(a => a.RegisterAsync()));
        }

        Assert.All(agents, a => Assert.NotNull(a.Inbox.Current));
        var before = agents.ToDictionary(a => a, a => a.Inbox.Current!.Version);
        _repo.WriteFile("projects/A/p.json", "2");
        var commit = _repo.Commit("two");

        await grain.RequestRef(new RefRequest { Ref = "main", RequestedAt = DateTimeOffset.UnixEpoch });

        await Eventually.Until(() => Task.FromResult(agents.Count(a => a.Inbox.Current?.Commit == commit)), n => n == agents.Count, TimeSpan.FromSeconds(30), "every agent to receive the new commit");
        Assert.All(agents, a => Assert.True(a.Inbox.Current!.Version > before[a], $"{a.Grain.GetPrimaryKeyString()}: {a.Inbox.Current.Version} after {before[a]}"));
        Assert.All(agents, a => Assert.Equal("main", a.Inbox.Current!.Ref));
        agents.ForEach(a => a.Forget());
    }

    [Fact]
    public async Task Reports_AllSynced_ReadyTrueAndDiscoveredGatewaysFilled()
    {
        var grain = _fixture.Host.GatewaySync("ns", "agg");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("agg", _repo.Path, "main", NoPolling));
        var a = new FakeAgent(_fixture.Host.AgentClient, "ns", "agg", "blue");
        var b = new FakeAgent(_fixture.Host.AgentClient, "ns", "agg", "red");
        var desiredA = await a.RegisterAsync();
        var desiredB = await b.RegisterAsync();

        var waiting = await Eventually.Until(grain.Get, r => r!.Status!.DiscoveredGateways?.Count == 2, TimeSpan.FromSeconds(10), "both registrations aggregated");
        RefResolutionGrainTests.AssertCondition(waiting!.Status!, ConditionTypes.AllGatewaysSynced, ConditionStatus.False, ConditionReasons.SyncInProgress, "0/2 synced");
        RefResolutionGrainTests.AssertCondition(waiting.Status!, ConditionTypes.AgentReady, ConditionStatus.True, ConditionReasons.AgentsConnected, "2/2 agents connected");

        await a.ReportSyncedAsync(desiredA!);
        await b.ReportSyncedAsync(desiredB!);

        var synced = await Eventually.Until(grain.Get, r => ConditionIs(r!, ConditionTypes.Ready, ConditionStatus.True), TimeSpan.FromSeconds(10), "Ready=True");
        RefResolutionGrainTests.AssertCondition(synced!.Status!, ConditionTypes.AllGatewaysSynced, ConditionStatus.True, ConditionReasons.SyncSucceeded, "2/2 synced");
        Assert.Equal(["blue", "red"], synced.Status!.DiscoveredGateways!.Select(g => g.Name));
        Assert.All(synced.Status.DiscoveredGateways!, g => Assert.Equal(GatewaySyncStatusValue.Synced, g.SyncStatus));
        a.Forget();
        b.Forget();
    }

    [Fact]
    public async Task Reports_MoreThanFifty_HistoryKeepsTheLastFifty()
    {
        var grain = _fixture.Host.GatewaySync("ns", "history");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("history", _repo.Path, "main", NoPolling));
        var agent = new FakeAgent(_fixture.Host.AgentClient, "ns", "history", "gw");
        var desired = await agent.RegisterAsync();

        for (var i = 0; i < 60; i++)
        {
            await agent.ReportAsync(new SyncReport { DesiredVersion = desired!.Version, SyncStatus = SyncStatus.Synced, FilesChanged = i });
        }

        var snapshot = await _fixture.Host.Gateway("ns", "history", "gw").GetSnapshot();
        Assert.Equal(50, snapshot.History.Count);
        Assert.Equal(59, snapshot.History[0].FilesChanged);
        Assert.Equal(10, snapshot.History[^1].FilesChanged);
        agent.Forget();
    }

    [Fact]
    public async Task DeadClient_GatewayGrainKeepsAnsweringWithinASecond()
    {
        var grain = _fixture.Host.GatewaySync("ns", "dead");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("dead", _repo.Path, "main", NoPolling));
        await using (var doomed = await AgentClientHost.StartAsync(_fixture.Host.Options.GatewayPort, _fixture.Host.Options.ClusterId, caFile: _fixture.Host.CaFile, agentTokenKeyFile: _fixture.Host.AgentTokenKeyFile))
        {
            var agent = new FakeAgent(doomed.Client, "ns", "dead", "gw");
            await agent.RegisterAsync();
            doomed.Kill();
        }

        // New commits: each is published to the Gateway grain, which pushes to the dead client one-way and answers on.
        var gateway = _fixture.Host.Gateway("ns", "dead", "gw");
        for (var i = 0; i < 3; i++)
        {
            _repo.WriteFile("projects/A/dead.json", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var commit = _repo.Commit("dead " + i);
            await grain.RequestRef(new RefRequest { Ref = "main", Commit = commit, RequestedAt = DateTimeOffset.UnixEpoch });
            await Eventually.Until(
                async () =>
                {
                    var stopwatch = Stopwatch.StartNew();
                    var snapshot = await gateway.GetSnapshot();
                    Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"GetSnapshot took {stopwatch.Elapsed}");
                    return snapshot.Desired?.Commit;
                },
                c => c == commit,
                TimeSpan.FromSeconds(10),
                "the gateway grain to take the new desired state");
        }
    }

    [Fact]
    public async Task Delete_TellsAgentsToStopAndForgetsTheResource()
    {
        var grain = _fixture.Host.GatewaySync("ns", "gone");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("gone", _repo.Path, "main", NoPolling));
        var agent = new FakeAgent(_fixture.Host.AgentClient, "ns", "gone", "gw");
        await agent.RegisterAsync();

        await grain.Delete();

        await Eventually.Until(() => Task.FromResult(agent.Inbox.Current), d => d?.Stopped == true, TimeSpan.FromSeconds(10), "the stop notice");
        Assert.Null(await grain.Get());
        agent.Forget();
    }

    [Fact]
    public async Task Polling_NewCommitPickedUpWithoutAnyRequest()
    {
        var grain = _fixture.Host.GatewaySync("ns", "poll");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("poll", _repo.Path, "main", "  polling:\n    interval: 1s"));
        _repo.WriteFile("projects/A/p.json", "polled");
        var commit = _repo.Commit("polled");

        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == commit, TimeSpan.FromSeconds(15), "the poll to resolve the new commit");
    }

    private static bool ConditionIs(GatewaySync resource, string type, string status) =>
        resource.Status?.Conditions?.FirstOrDefault(c => c.Type == type)?.Status == status;
}
