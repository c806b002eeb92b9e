using Microsoft.Extensions.DependencyInjection;
using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// An agent's control-plane side only: registers with its Gateway grain through a real Orleans client and holds
/// the real agent observer (<see cref="DesiredStateInbox"/>). The sync itself is not part of these tests.
/// </summary>
public sealed class FakeAgent
{
    private readonly IClusterClient _client;
    private readonly IGatewayObserver _reference;
    private readonly CountingObserver _counter;

    public FakeAgent(IClusterClient client, string ns, string crName, string gatewayName, string? profile = null)
    {
        _client = client;
        Inbox = new DesiredStateInbox(client.ServiceProvider.GetRequiredService<Orleans.Serialization.Serializer<DesiredState>>());
        Grain = client.GetGrain<IGatewayAgentGrain>(GrainKeys.Gateway(ns, crName, gatewayName));
        _counter = new CountingObserver(Inbox);
        _reference = client.CreateObjectReference<IGatewayObserver>(_counter);
        Registration = new AgentRegistration { AgentId = Guid.NewGuid().ToString("N"), AgentVersion = "test", Profile = profile, PodName = gatewayName + "-0" };
    }

    public DesiredStateInbox Inbox { get; }

    /// <summary>How many desired states the control plane pushed to this agent (the registration's answer not counted).</summary>
    public int Pushes => _counter.Pushes;

    public IGatewayAgentGrain Grain { get; }

    public AgentRegistration Registration { get; }

    /// <summary>The session token of the last accepted registration (empty before).</summary>
    public string SessionToken { get; private set; } = "";

    /// <summary>The token the next registration proposes (or resumes), as the real agent draws one at start.</summary>
    public void Propose(string token)
    {
        SessionToken = token;
        Inbox.UseSession(token);
    }

    public async Task<DesiredState?> RegisterAsync()
    {
        var session = await Grain.Register(Registration, _reference, SessionToken);
        SessionToken = session.Token;
        Inbox.UseSession(session.Token);
        if (session.Desired is { } desired)
        {
            Inbox.Offer(desired);
        }

        return session.Desired;
    }

    public Task<long> HeartbeatAsync() => Grain.Heartbeat(SessionToken, _reference);

    public Task ReportAsync(SyncReport report) => Grain.Report(SessionToken, report);

    public Task ReportSyncedAsync(DesiredState state) => ReportAsync(new SyncReport
    {
        DesiredVersion = state.Version,
        SyncStatus = SyncStatus.Synced,
        SyncedCommit = state.Commit,
        SyncedRef = state.Ref,
        LastSyncTime = DateTimeOffset.UnixEpoch,
        AgentVersion = "test",
        ProfileName = state.ProfileName,
    });

    public void Forget() => _client.DeleteObjectReference<IGatewayObserver>(_reference);
}
