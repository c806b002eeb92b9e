using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>The agent's life (docs/standalone-agent.md) with a real silo, a real agent process, the Ignition simulator and real git.</summary>
public sealed class AgentLifecycleTests : IAsyncLifetime
{
    private AgentTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AgentTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task InitialSync_FilesLandBeforeStartupProbe_ScansInOrder_PushReachesAgent()
    {
        await _bed.ApplyAsync();
        var agent = _bed.StartAgent("gw-1");

        await Eventually.Until(() => agent.GetAsync(agent.HealthPort, "/startupz"), r => r.Status == 200, TimeSpan.FromSeconds(60), "the startup probe\n" + agent.Output);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Alpha", "project.json")), agent.Output);

        var calls = await Eventually.Until(() => Task.FromResult(_bed.Gateway.Control.Calls.Where(c => c.Path.Contains("/scan/", StringComparison.Ordinal)).ToList()),
            c => c.Count >= 2, TimeSpan.FromSeconds(30), "both scans\n" + agent.Output);
        Assert.EndsWith("/scan/projects", calls[0].Path, StringComparison.Ordinal);
        Assert.EndsWith("/scan/config", calls[1].Path, StringComparison.Ordinal);
        Assert.All(calls, c => Assert.True(c.Authorized));
        await Eventually.Until(_bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName).Get,
            r => r!.Status!.Conditions!.Any(c => c.Type == ConditionTypes.Ready && c.Status == ConditionStatus.True),
            TimeSpan.FromSeconds(30), "Ready=True\n" + agent.Output);

        var commit = await _bed.PushCommitAsync("Beta");

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Join(agent.DataPath, "projects", "Beta", "project.json"))), b => b,
            TimeSpan.FromSeconds(30), "the pushed commit on disk\n" + agent.Output);
        var gateway = await Eventually.Until(_bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName).Get,
            r => r!.Status!.DiscoveredGateways?.SingleOrDefault()?.SyncedCommit == commit, TimeSpan.FromSeconds(30), "the report of the new commit");
        Assert.Equal(GatewaySyncStatusValue.Synced, gateway!.Status!.DiscoveredGateways![0].SyncStatus);
    }

    [Fact]
    public async Task Metrics_AfterSync_ExposeAgentSeriesOnMetricsPort()
    {
        await _bed.ApplyAsync();
        var agent = _bed.StartAgent("gw-metrics");
        var commit = _bed.Repo.Head();
        await _bed.WaitForReportAsync("gw-metrics", commit, SyncStatus.Synced, agent);

        // Initial sync (Pending) and post-commission re-sync (Synced): two successful syncs, one scan.
        const string profile = "profile=\"default\"";
        await Eventually.Until(() => agent.MetricAsync($"stoker_agent_sync_total{{{profile},result=\"success\"}}"), v => v == 2,
            TimeSpan.FromSeconds(10), "stoker_agent_sync_total\n" + agent.Output);
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_scan_total{result=\"success\"}"));
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_last_sync_success"));
        Assert.True(await agent.MetricAsync("stoker_agent_last_sync_timestamp_seconds") > 1_700_000_000);
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_git_fetch_total{operation=\"clone\",result=\"success\"}"));
        Assert.Equal(0, await agent.MetricAsync($"stoker_agent_files_added{{{profile}}}"));
        Assert.Equal(0, await agent.MetricAsync($"stoker_agent_files_changed{{{profile}}}"));
        Assert.Equal(2, await agent.MetricAsync($"stoker_agent_sync_duration_seconds_count{{{profile}}}"));
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_scan_duration_seconds_count"));
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_gateway_startup_duration_seconds_count"));
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_control_plane_connected"));

        // A pushed commit adds one project: the gauges describe the last sync.
        var pushed = await _bed.PushCommitAsync("Gamma");
        await _bed.WaitForReportAsync("gw-metrics", pushed, SyncStatus.Synced, agent);
        await Eventually.Until(() => agent.MetricAsync($"stoker_agent_files_added{{{profile}}}"), v => v == 1, TimeSpan.FromSeconds(10), "files_added after the push");
        Assert.Equal(3, await agent.MetricAsync($"stoker_agent_sync_total{{{profile},result=\"success\"}}"));
        Assert.Equal(0, await agent.MetricAsync("stoker_agent_designer_sessions_active"));
        Assert.Equal(0, await agent.MetricAsync("stoker_agent_designer_sessions_blocked"));

        var (status, text) = await agent.GetAsync(agent.MetricsPort, "/metrics");
        Assert.Equal(200, status);
        Assert.Contains("# TYPE stoker_agent_sync_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE stoker_agent_sync_duration_seconds histogram", text, StringComparison.Ordinal);
    }
}
