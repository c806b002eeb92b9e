using System.Diagnostics;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>docs/standalone-agent.md: SIGTERM turns readiness off, lets the sync in flight finish within SHUTDOWN_TIMEOUT, exits 0.</summary>
public sealed class AgentShutdownTests : IAsyncLifetime
{
    private AgentTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AgentTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Sigterm_DuringSync_ReadinessOff_SyncCompletes_ExitsZeroWithinDeadline()
    {
        const int shutdownSeconds = 15;
        await _bed.ApplyAsync();
        var agent = _bed.StartAgent("gw-1", new Dictionary<string, string> { ["SHUTDOWN_TIMEOUT"] = shutdownSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await _bed.WaitForReportAsync("gw-1", _bed.Repo.Head(), SyncStatus.Synced, agent, seconds: 60);

        // A slow gateway makes the pushed commit's sync slow: its first step (the Designer check) takes 3 s.
        _bed.Gateway.Control.SetDelay(TimeSpan.FromSeconds(3));
        _bed.Gateway.Control.ClearCalls();
        var commit = await _bed.PushCommitAsync("Beta");
        await Eventually.Until(() => Task.FromResult(_bed.Gateway.Control.Calls), calls => calls.Any(c => c.Path.EndsWith("/designers", StringComparison.Ordinal) && c.Status is null),
            TimeSpan.FromSeconds(30), "the sync to be under way\n" + agent.Output);

        var clock = Stopwatch.StartNew();
        await agent.SendTerminateAsync();
        var draining = await Eventually.Until(() => agent.GetAsync(agent.HealthPort, "/readyz"), r => r.Status != 200, TimeSpan.FromSeconds(5), "readiness to turn off");
        Assert.Equal((503, "shutting down"), draining);
        Assert.Equal((200, "ok"), await agent.GetAsync(agent.HealthPort, "/healthz"));
        Assert.False(agent.Process.HasExited, "the agent waits for the sync in flight\n" + agent.Output);

        var exitCode = await agent.WaitForExitAsync(TimeSpan.FromSeconds(shutdownSeconds + 5));
        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(shutdownSeconds), $"exited after {clock.Elapsed}\n{agent.Output}");

        // The sync finished and was reported; it did not ask the gateway to scan while shutting down (docs/standalone-agent.md).
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Beta", "project.json")), agent.Output);
        var report = (await _bed.Host.Gateway(AgentTestBed.Namespace, AgentTestBed.CrName, "gw-1").GetSnapshot()).LastReport!;
        Assert.Equal(commit, report.SyncedCommit);
        Assert.Equal(SyncStatus.Pending, report.SyncStatus);
        Assert.Equal("scan skipped: the agent is shutting down", report.LastScanResult);
        Assert.DoesNotContain(_bed.Gateway.Control.Calls, c => c.Path.Contains("/scan/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_SyncOutlastsDeadline_ExitsZeroAtDeadline()
    {
        await _bed.ApplyAsync();
        var agent = _bed.StartAgent("gw-1", new Dictionary<string, string> { ["SHUTDOWN_TIMEOUT"] = "2" });
        await _bed.WaitForReportAsync("gw-1", _bed.Repo.Head(), SyncStatus.Synced, agent, seconds: 60);

        // The gateway hangs longer than the deadline on every call.
        _bed.Gateway.Control.SetDelay(TimeSpan.FromSeconds(60));
        _bed.Gateway.Control.ClearCalls();
        await _bed.PushCommitAsync("Beta");
        await Eventually.Until(() => Task.FromResult(_bed.Gateway.Control.Calls), calls => calls.Any(c => c.Path.EndsWith("/designers", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the sync to be under way\n" + agent.Output);

        var clock = Stopwatch.StartNew();
        var exitCode = await agent.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"exited after {clock.Elapsed}\n{agent.Output}");
        Assert.Contains("did not finish within the shutdown deadline", agent.Output, StringComparison.Ordinal);
    }
}
