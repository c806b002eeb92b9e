using System.Diagnostics;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>
/// Issue 11, defect 4: an Orleans client without credentials on the gateway port, beside a real agent process. It may
/// not read or change resources, push desired states, or register and report for a gateway whose session is live.
/// </summary>
public sealed class UntrustedClientTests
{
    private const string FakeCommit = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public async Task AnonymousClient_AdminCallsAndForeignSessionRefused_RealAgentKeepsFollowingPushes()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.ApplyAsync();
        var agent = bed.StartAgent("gw-1");
        var first = await bed.WaitForReportAsync("gw-1", bed.Repo.Head(), SyncStatus.Synced, agent, seconds: 60);

        using var evil = GitRepository.Create(bed.Temp.Combine("evil"));
        evil.WriteFile("projects/Evil/project.json", "{\"title\":\"evil\"}");
        evil.Commit("evil");
        await using var attacker = await AgentClientHost.StartAsync(bed.Host.Options.GatewayPort, bed.Host.Options.ClusterId, caFile: bed.Host.CaFile);
        var gatewayKey = GrainKeys.Gateway(AgentTestBed.Namespace, AgentTestBed.CrName, "gw-1");

        // Administration: reading or changing resources, listing them, reading a gateway, pushing a desired state.
        var resource = attacker.Client.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName));
        await AssertRefusedAsync(() => resource.Get());
        await AssertRefusedAsync(() => resource.RequestRef(new RefRequest { Ref = "evil", Source = "github" }));
        await AssertRefusedAsync(() => resource.Delete());
        await AssertRefusedAsync(() => attacker.Client.GetGrain<IGatewaySyncRegistryGrain>(IGatewaySyncRegistryGrain.AllKey).List(null));
        var asAdmin = attacker.Client.GetGrain<IGatewayGrain>(gatewayKey);
        await AssertRefusedAsync(() => asAdmin.GetSnapshot());
        var hijack = new Release { Version = 1_000_000, Epoch = first.Desired!.Epoch, RepoUrl = evil.Path, Ref = "main", Commit = evil.Head(), GatewaySyncKey = first.Desired.GatewaySyncKey };
        await asAdmin.Publish(hijack);
        await asAdmin.SetPod(new ExpectedGateway { Name = "gw-1", Namespace = AgentTestBed.Namespace, PodName = "gw-1" }, hijack);

        // The agent-facing interface, but not this client's session: registering over a live session, reporting.
        var attackerAgent = new FakeAgent(attacker.Client, AgentTestBed.Namespace, AgentTestBed.CrName, "gw-1");
        await AssertRefusedAsync(() => attackerAgent.RegisterAsync());
        await AssertRefusedAsync(() => attackerAgent.ReportAsync(new SyncReport
        {
            DesiredVersion = first.Desired.Version + 1000,
            SyncStatus = SyncStatus.Synced,
            SyncedCommit = FakeCommit,
            SyncedRef = "main",
            AgentVersion = "evil",
        }));

        var unchanged = await bed.Host.Gateway(AgentTestBed.Namespace, AgentTestBed.CrName, "gw-1").GetSnapshot();
        Assert.Equal(first.LastReport, unchanged.LastReport);
        Assert.Equal(bed.Repo.Path, unchanged.Desired!.RepoUrl);
        Assert.Equal(first.Agent!.AgentId, unchanged.Agent!.AgentId);
        var status = await bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName).Get();
        Assert.DoesNotContain(status!.Status!.DiscoveredGateways ?? [], g => g.SyncedCommit == FakeCommit);

        // The real agent still follows legitimate pushes and never saw the attacker's repository.
        var pushed = await bed.PushCommitAsync("Legit");
        await bed.WaitForReportAsync("gw-1", pushed, SyncStatus.Synced, agent, seconds: 60);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Legit", "project.json")), agent.Output);
        Assert.False(File.Exists(Path.Join(agent.DataPath, "projects", "Evil", "project.json")), agent.Output);
        var after = await bed.Host.Gateway(AgentTestBed.Namespace, AgentTestBed.CrName, "gw-1").GetSnapshot();
        Assert.Equal(bed.Repo.Path, after.Desired!.RepoUrl);
        Assert.True(after.Desired.Version < hijack.Version << Stoker.Grains.Gateways.DesiredVersions.RevisionBits, $"desired version {after.Desired.Version}");
    }

    private static async Task AssertRefusedAsync(Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<Exception>(call);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "a refusal is an answer, not a timeout: " + error);
    }
}
