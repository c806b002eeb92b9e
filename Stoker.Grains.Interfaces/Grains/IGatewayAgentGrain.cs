using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>
/// The only calls an agent makes, on its own gateway's grain (key <c>{namespace}/{crName}/{gatewayName}</c>).
/// Kept apart from <see cref="IGatewayGrain"/> so the silo can restrict clients to this interface.
/// </summary>
public interface IGatewayAgentGrain : IGrainWithStringKey
{
    /// <summary>Starts or renews a session and subscribes the observer; returns the current desired state, if any.</summary>
    Task<DesiredState?> Register(AgentRegistration registration, IGatewayObserver observer);

    /// <summary>Renews the subscription (the heartbeat). Returns the current desired version so a missed push is noticed.</summary>
    Task<long> Heartbeat(string agentId, IGatewayObserver observer);

    Task Report(SyncReport report);
}
