using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// Issue 11, defect 4: a gateway's agent session belongs to the client that registered it. Another client cannot
/// take it over or report while it is live; a restarted agent gets in once it ends or expires.
/// </summary>
public sealed class AgentSessionTests : IAsyncLifetime, IDisposable
{
    private const string NoPolling = "  polling:\n    enabled: false";
    private readonly GitRepository _repo = GitRepository.Create();
    private ControlPlaneHost? _host;

    private ControlPlaneHost Host => _host!;

    public async Task InitializeAsync()
    {
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");

        // A short expiry, so that "the old session expired" takes seconds.
        _host = await ControlPlaneHost.StartAsync(configure: o => o.AgentSessionExpiry = TimeSpan.FromSeconds(3));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task SessionNotRenewed_IsShownDisconnected_OnceItExpires_AndItsNextHeartbeatShowsItAgain()
    {
        var grain = Host.GatewaySync("ns", "quiet");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("quiet", _repo.Path, "main", NoPolling));
        var agent = new FakeAgent(Host.AgentClient, "ns", "quiet", "gw");
        await agent.RegisterAsync();
        await Eventually.Until(grain.Get, r => AgentReady(r) == ConditionStatus.True, TimeSpan.FromSeconds(10), "the agent shown connected");

        // No heartbeat: the Gateway grain's one expiry tick (3 s after the registration) reports the session gone.
        await Eventually.Until(grain.Get, r => AgentReady(r) == ConditionStatus.False, TimeSpan.FromSeconds(15), "the unrenewed session shown disconnected");

        // Its agent's next heartbeat (same session token, no other agent took the gateway) renews it.
        Assert.NotEqual(-1, await agent.HeartbeatAsync());
        await Eventually.Until(grain.Get, r => AgentReady(r) == ConditionStatus.True, TimeSpan.FromSeconds(10), "the agent shown connected again");
    }

    private static string? AgentReady(GatewaySync? resource) =>
        resource?.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.AgentReady)?.Status;

    [Fact]
    public async Task SecondClient_LiveSession_RegistrationAndReportRefusedUntilUnregistered()
    {
        await Host.GatewaySync("ns", "live").ApplyAndReconcile(ResourceBuilder.Create("live", _repo.Path, "main", NoPolling));
        var owner = new FakeAgent(Host.AgentClient, "ns", "live", "gw");
        var desired = await owner.RegisterAsync();
        await owner.ReportSyncedAsync(desired!);
        await using var other = await AgentClientHost.StartAsync(Host.Options.GatewayPort, Host.Options.ClusterId, caFile: Host.CaFile, agentTokenKeyFile: Host.AgentTokenKeyFile);
        var intruder = new FakeAgent(other.Client, "ns", "live", "gw");

        var refused = await Assert.ThrowsAsync<CallRefusedException>(intruder.RegisterAsync);
        Assert.Contains("another agent's session is live", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CallRefusedException>(() => intruder.ReportAsync(new SyncReport { SyncStatus = SyncStatus.Error, ErrorMessage = "forged" }));
        Assert.Equal(-1, await intruder.HeartbeatAsync());

        var snapshot = await Host.Gateway("ns", "live", "gw").GetSnapshot();
        Assert.Equal(owner.Registration.AgentId, snapshot.Agent!.AgentId);
        Assert.Equal(SyncStatus.Synced, snapshot.LastReport!.SyncStatus);
        Assert.Single(snapshot.History);

        // The owner's session goes on: re-registering with its token resumes it, and its heartbeat answers.
        var token = owner.SessionToken;
        await owner.RegisterAsync();
        Assert.Equal(token, owner.SessionToken);
        Assert.Equal(desired!.Version, await owner.HeartbeatAsync());

        // A graceful stop ends the session: the successor is accepted at once and the old token is worthless.
        await owner.Grain.Unregister(owner.SessionToken);
        await intruder.RegisterAsync();
        Assert.NotEqual(token, intruder.SessionToken);
        Assert.Equal(-1, await owner.HeartbeatAsync());
        await Assert.ThrowsAsync<CallRefusedException>(() => owner.ReportSyncedAsync(desired));
        owner.Forget();
        intruder.Forget();
    }

    [Fact]
    public async Task RegistrationAnswerLost_RetryProposingTheSameToken_ResumesTheSessionOthersStayRefused()
    {
        await Host.GatewaySync("ns", "retry").ApplyAndReconcile(ResourceBuilder.Create("retry", _repo.Path, "main", NoPolling));
        var proposed = new string('a', 32) + new string('7', 32);
        var owner = new FakeAgent(Host.AgentClient, "ns", "retry", "gw");
        owner.Propose(proposed);

        // The first answer is lost (the agent never learns it was accepted): the retry must not lock it out.
        await owner.RegisterAsync();
        owner.Propose(proposed);
        await owner.RegisterAsync();

        Assert.Equal(proposed, owner.SessionToken);
        Assert.NotEqual(-1, await owner.HeartbeatAsync());
        await using var other = await AgentClientHost.StartAsync(Host.Options.GatewayPort, Host.Options.ClusterId, caFile: Host.CaFile, agentTokenKeyFile: Host.AgentTokenKeyFile);
        var intruder = new FakeAgent(other.Client, "ns", "retry", "gw");
        intruder.Propose(new string('b', 64));
        await Assert.ThrowsAsync<CallRefusedException>(intruder.RegisterAsync);

        // A proposal that is not 256 random-looking bits is not taken: the grain draws the token.
        await owner.Grain.Unregister(proposed);
        intruder.Propose("short");
        await intruder.RegisterAsync();
        Assert.Matches("^[0-9a-f]{64}$", intruder.SessionToken);
        owner.Forget();
        intruder.Forget();
    }

    [Fact]
    public async Task RestartedAgent_PreviousSessionExpired_NewRegistrationAccepted()
    {
        await Host.GatewaySync("ns", "expiry").ApplyAndReconcile(ResourceBuilder.Create("expiry", _repo.Path, "main", NoPolling));
        FakeAgent first;
        await using (var crashed = await AgentClientHost.StartAsync(Host.Options.GatewayPort, Host.Options.ClusterId, caFile: Host.CaFile, agentTokenKeyFile: Host.AgentTokenKeyFile))
        {
            first = new FakeAgent(crashed.Client, "ns", "expiry", "gw");
            await first.RegisterAsync();
            crashed.Kill();
        }

        // The restarted agent (a new client) retries as the real one does, until the dead session has expired.
        var restarted = new FakeAgent(Host.AgentClient, "ns", "expiry", "gw");
        await Eventually.Until(
            async () =>
            {
                await restarted.RegisterAsync();
                return restarted.SessionToken;
            },
            token => token.Length > 0,
            TimeSpan.FromSeconds(20),
            "the restarted agent's registration once the old session expired");

        Assert.NotEqual(first.SessionToken, restarted.SessionToken);
        Assert.NotNull(restarted.Inbox.Current);
        var snapshot = await Host.Gateway("ns", "expiry", "gw").GetSnapshot();
        Assert.Equal(restarted.Registration.AgentId, snapshot.Agent!.AgentId);
        restarted.Forget();
    }
}
