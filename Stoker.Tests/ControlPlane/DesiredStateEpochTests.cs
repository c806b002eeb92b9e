using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// Issue 11, defect 6, without a restart: a GatewaySync deleted and applied again counts its versions from 1 under a
/// new epoch, and an agent that held the old run's higher version (its stop notice) takes the new state.
/// </summary>
public sealed class DesiredStateEpochTests : IClassFixture<ControlPlaneFixture>, IDisposable
{
    private const string NoPolling = "  polling:\n    enabled: false";
    private readonly ControlPlaneFixture _fixture;
    private readonly GitRepository _repo = GitRepository.Create();

    public DesiredStateEpochTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task DeletedAndAppliedAgain_AgentHoldingOldEpochsStopNotice_TakesNewState()
    {
        var grain = _fixture.Host.GatewaySync("ns", "again");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("again", _repo.Path, "main", NoPolling));
        var agent = new FakeAgent(_fixture.Host.AgentClient, "ns", "again", "gw");
        var first = await agent.RegisterAsync();
        _repo.WriteFile("projects/A/p.json", "2");
        var second = _repo.Commit("two");
        await grain.RequestRef(new RefRequest { Ref = "main", Commit = second, RequestedAt = DateTimeOffset.UnixEpoch });
        await Eventually.Until(() => Task.FromResult(agent.Inbox.Current), d => d?.Commit == second, TimeSpan.FromSeconds(10), "the second commit");

        await grain.Delete();
        var stop = await Eventually.Until(() => Task.FromResult(agent.Inbox.Current), d => d?.Stopped == true, TimeSpan.FromSeconds(10), "the stop notice");

        await grain.ApplyAndReconcile(ResourceBuilder.Create("again", _repo.Path, "main", NoPolling));

        // The agent's next heartbeat finds no session (the grain was cleared) and registers again.
        Assert.Equal(-1, await agent.HeartbeatAsync());
        var renewed = await agent.RegisterAsync();
        Assert.NotNull(renewed);
        Assert.True(renewed.Version <= stop!.Version, $"the new run counts from 1 again: {renewed.Version} vs {stop.Version}");
        Assert.NotEqual(first!.Epoch, renewed.Epoch);
        Assert.False(agent.Inbox.Current!.Stopped, "the agent took the new run's state over its stop notice");
        Assert.Equal(second, agent.Inbox.Current.Commit);
        agent.Forget();
    }
}
