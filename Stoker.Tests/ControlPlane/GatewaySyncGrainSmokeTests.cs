using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

public sealed class GatewaySyncGrainSmokeTests
{
    [Fact]
    public async Task Apply_BranchRef_ResolvesAndReportsNoGateways()
    {
        using var repo = GitRepository.Create();
        repo.WriteFile("projects/A/project.json", "{}");
        var commit = repo.Commit("first");
        await using var host = await ControlPlaneHost.StartAsync();

        var applied = await host.GatewaySync("ns", "gs").ApplyAndReconcile(ResourceBuilder.Create("gs", repo.Path, "main"));

        Assert.Equal(commit, applied.Status?.LastSyncCommit);
        var refResolved = applied.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved);
        Assert.Equal(ConditionStatus.True, refResolved.Status);
        Assert.Equal(commit, refResolved.Message);
        var ready = applied.Status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal("Waiting for gateways to sync", ready.Message);
    }
}
