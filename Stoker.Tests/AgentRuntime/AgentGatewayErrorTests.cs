using System.Globalization;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>Gateways that fail the agent: the report says so in words a user can act on, and the agent stays up.</summary>
public sealed class AgentGatewayErrorTests : IAsyncLifetime
{
    private AgentTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AgentTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task FailingScan_Http500_ReportsErrorWithStatus()
    {
        _bed.Gateway.Control.FailScans(500);
        await _bed.ApplyAsync();
        var agent = _bed.StartAgent("gw-1");
        var commit = _bed.Repo.Head();

        // The post-commission re-sync scans: three attempts (2 s, then 4 s apart), then Error.
        var snapshot = await _bed.WaitForReportAsync("gw-1", commit, SyncStatus.Error, agent, seconds: 60);
        Assert.Equal("scan failed: scan/projects: after 3 retries: HTTP 500", snapshot.LastReport!.ErrorMessage);
        Assert.Equal("error: scan/projects: after 3 retries: HTTP 500", snapshot.LastReport.LastScanResult);
        Assert.Equal(3, _bed.Gateway.Control.Calls.Count(c => c.Path.EndsWith("/scan/projects", StringComparison.Ordinal)));
        Assert.DoesNotContain(_bed.Gateway.Control.Calls, c => c.Path.EndsWith("/scan/config", StringComparison.Ordinal));

        var status = await Eventually.Until(_bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName).Get,
            r => r!.Status!.DiscoveredGateways?.SingleOrDefault()?.SyncStatus == GatewaySyncStatusValue.Error, TimeSpan.FromSeconds(10), "Error in the GatewaySync status");
        var discovered = status!.Status!.DiscoveredGateways!.Single();
        Assert.Contains("HTTP 500", discovered.LastScanResult, StringComparison.Ordinal);
        Assert.Equal(commit, discovered.SyncedCommit);
        Assert.Equal(1, await agent.MetricAsync("stoker_agent_scan_total{result=\"error\"}"));
    }

    [Fact]
    public async Task UnreachableGatewayAndWrongApiKey_EachReportClearError_HealthKeepsAnswering()
    {
        await _bed.ApplyAsync();
        var closedPort = FreePort.Next();
        var unreachable = _bed.StartAgent("gw-unreachable", new Dictionary<string, string> { ["GATEWAY_PORT"] = closedPort.ToString(CultureInfo.InvariantCulture) });
        var wrongKeyFile = _bed.Temp.Combine("wrong-key");
        await File.WriteAllTextAsync(wrongKeyFile, "stoker:not-the-secret\n");
        var wrongKey = _bed.StartAgent("gw-wrong-key", new Dictionary<string, string> { ["API_KEY_FILE"] = wrongKeyFile });
        var first = _bed.Repo.Head();

        // Wrong key: the gateway answers (the unauthenticated port check passes), the post-commission scan gets 401.
        var rejected = await _bed.WaitForReportAsync("gw-wrong-key", first, SyncStatus.Error, wrongKey, seconds: 60);
        Assert.Equal($"scan failed: scan/projects: HTTP 401: the gateway did not accept the API key from API_KEY_FILE ({wrongKeyFile})", rejected.LastReport!.ErrorMessage);
        Assert.DoesNotContain("not-the-secret", wrongKey.Output, StringComparison.Ordinal);

        // Unreachable: the initial sync lands the files (the gateway may simply not have started yet) and says why
        // the health check failed; the next sync's scan cannot connect and reports Error.
        var initial = await _bed.WaitForGatewayAsync("gw-unreachable", s => s.LastReport?.SyncedCommit == first, "the initial report", unreachable, seconds: 60);
        Assert.Equal(SyncStatus.Pending, initial.LastReport!.SyncStatus);
        Assert.StartsWith("health check failed: gateway health check: Connection refused", initial.LastReport.LastScanResult, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(unreachable.DataPath, "projects", "Alpha", "project.json")));

        var pushed = await _bed.PushCommitAsync("Beta");
        var refused = await _bed.WaitForReportAsync("gw-unreachable", pushed, SyncStatus.Error, unreachable);
        Assert.Equal($"scan failed: scan/projects: after 3 retries: Connection refused (localhost:{closedPort})", refused.LastReport!.ErrorMessage);

        foreach (var agent in new[] { unreachable, wrongKey })
        {
            Assert.Equal((200, "ok"), await agent.GetAsync(agent.HealthPort, "/healthz"));
            Assert.Equal((200, "ok"), await agent.GetAsync(agent.HealthPort, "/startupz"));
            Assert.False(agent.Process.HasExited, agent.Output);
        }

        var status = await Eventually.Until(_bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName).Get,
            r => r!.Status!.DiscoveredGateways?.Count(g => g.SyncStatus == GatewaySyncStatusValue.Error) == 2, TimeSpan.FromSeconds(10), "both gateways in Error");
        Assert.Contains("HTTP 401", status!.Status!.DiscoveredGateways!.Single(g => g.Name == "gw-wrong-key").LastScanResult, StringComparison.Ordinal);
    }
}
