using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>designerSessionPolicy (docs/resource-reference.md) with open Designers on the simulated gateway: one agent lives through the three policies.</summary>
public sealed class AgentDesignerPolicyTests : IAsyncLifetime
{
    private const string Gateway = "gw-1";
    private AgentTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AgentTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task DesignerPolicies_ProceedSyncs_FailBlocksUntilSessionsClose_WaitProceedsWhenSessionsClose()
    {
        await ApplyPolicyAsync("proceed");
        var agent = _bed.StartAgent(Gateway, new Dictionary<string, string> { ["DESIGNER_POLL_INTERVAL"] = "200ms" });
        await _bed.WaitForReportAsync(Gateway, _bed.Repo.Head(), SyncStatus.Synced, agent, seconds: 60);

        // proceed: an open Designer does not hold the sync back.
        _bed.Gateway.Control.SetDesignerSessions([new("alice", "P")]);
        var proceeded = await _bed.PushCommitAsync("Proceeded");
        var report = (await _bed.WaitForReportAsync(Gateway, proceeded, SyncStatus.Synced, agent)).LastReport!;
        Assert.False(report.DesignerSessionsBlocked);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Proceeded", "project.json")));
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_designer_sessions_active"));

        // fail: the sync is refused with an Error naming the session, nothing lands, and once the Designer closes
        // the next trigger (the profile's 5 s syncPeriod) syncs the same commit without a new push.
        _bed.Repo.WriteFile("projects/Failed/project.json", "{}");
        var failed = _bed.Repo.Commit("while alice designs");
        await ApplyPolicyAsync("fail");
        var blocked = await _bed.WaitForGatewayAsync(Gateway, s => s.LastReport is { SyncStatus: SyncStatus.Error } r && r.SyncedCommit == failed,
            "an Error report for the blocked commit", agent);
        Assert.Equal("designer sessions active (policy=fail): alice on P", blocked.LastReport!.ErrorMessage);
        Assert.True(blocked.LastReport.DesignerSessionsBlocked);
        Assert.False(File.Exists(Path.Join(agent.DataPath, "projects", "Failed", "project.json")));
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_designer_sessions_blocked"));
        Assert.True(await agent.MetricAsync("stoker_agent_sync_skipped_total{reason=\"designer_blocked\"}") >= 1);
        await Eventually.Until(_bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName).Get,
            r => r!.Status!.DiscoveredGateways?.SingleOrDefault()?.SyncStatus == SyncStatus.Error, TimeSpan.FromSeconds(10), "Error in the GatewaySync status");

        _bed.Gateway.Control.ClearDesignerSessions();
        await _bed.WaitForReportAsync(Gateway, failed, SyncStatus.Synced, agent);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Failed", "project.json")));

        // wait: the agent reports Pending with designerSessionsBlocked (and the commit it last synced) while it
        // waits, then syncs as soon as the Designer closes.
        _bed.Gateway.Control.SetDesignerSessions([new("bob", "Q")]);
        _bed.Repo.WriteFile("projects/Waited/project.json", "{}");
        var waited = _bed.Repo.Commit("while bob designs");
        await ApplyPolicyAsync("wait");
        var waiting = await _bed.WaitForGatewayAsync(Gateway, s => s.LastReport is { SyncStatus: SyncStatus.Pending, DesignerSessionsBlocked: true },
            "a Pending report with designerSessionsBlocked", agent);
        Assert.Equal(failed, waiting.LastReport!.SyncedCommit);
        Assert.False(File.Exists(Path.Join(agent.DataPath, "projects", "Waited", "project.json")));
        var polls = _bed.Gateway.Control.Calls.Count(c => c.Path.EndsWith("/designers", StringComparison.Ordinal));
        await Eventually.Until(() => Task.FromResult(_bed.Gateway.Control.Calls.Count(c => c.Path.EndsWith("/designers", StringComparison.Ordinal))),
            n => n >= polls + 2, TimeSpan.FromSeconds(10), "the agent to keep asking for Designers (DESIGNER_POLL_INTERVAL)");

        _bed.Gateway.Control.ClearDesignerSessions();
        var done = await _bed.WaitForReportAsync(Gateway, waited, SyncStatus.Synced, agent);
        Assert.False(done.LastReport!.DesignerSessionsBlocked);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Waited", "project.json")));
    }

    private Task ApplyPolicyAsync(string policy) => _bed.ApplyAsync($"""
              default:
                syncPeriod: 5
                designerSessionPolicy: {policy}
                mappings:
                  - source: projects
                    destination: projects
        """);
}
