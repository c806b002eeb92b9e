using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>The control plane on PostgreSQL goes away and comes back on the same gateway port while an agent runs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AgentSiloRestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task SiloRestart_AgentReconnectsReregistersAndConvergesToCommitMadeWhileDisconnected()
    {
        var connectionString = await postgres.CreateDatabaseAsync("agent_restart_" + Guid.NewGuid().ToString("N")[..8]);
        await using var bed = await AgentTestBed.StartAsync(connectionString);

        // The resource polls every 2 s, so the commit made while the silo is down is found by the control plane itself.
        await bed.ApplyAsync(extraSpec: "  polling:\n    interval: 2s");
        var agent = bed.StartAgent("gw-1");
        var first = bed.Repo.Head();
        var before = await bed.WaitForReportAsync("gw-1", first, SyncStatus.Synced, agent, seconds: 60);
        var firstAgentId = before.Agent!.AgentId;

        await bed.StopSiloAsync();
        bed.Repo.WriteFile("projects/Offline/project.json", "{\"title\":\"made while the silo was down\"}");
        var second = bed.Repo.Commit("while disconnected");

        // The agent notices the loss (its heartbeat fails) and keeps its probes up meanwhile.
        await Eventually.Until(() => agent.MetricAsync("stoker_agent_control_plane_connected"), v => v == 0, TimeSpan.FromSeconds(30),
            "the agent to notice the silo is gone\n" + agent.Output);
        Assert.Equal(200, (await agent.GetAsync(agent.HealthPort, "/healthz")).Status);
        Assert.Equal(200, (await agent.GetAsync(agent.HealthPort, "/readyz")).Status);

        await bed.RestartSiloAsync(connectionString);

        var after = await bed.WaitForReportAsync("gw-1", second, SyncStatus.Synced, agent, seconds: 60);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Offline", "project.json")), agent.Output);
        Assert.Equal(firstAgentId, after.Agent!.AgentId);
        Assert.True(after.AgentConnected, "the re-registered session is live");
        Assert.Contains("Registered with", agent.Output, StringComparison.Ordinal);
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_control_plane_connected"));
        Assert.False(agent.Process.HasExited);
    }
}
