using Orleans.Concurrency;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>Control-plane side of one gateway (key <c>{namespace}/{crName}/{gatewayName}</c>).</summary>
public interface IGatewayGrain : IGatewayAgentGrain
{
    /// <summary>
    /// Records the desired state and pushes it to the agent. Older versions are ignored. One-way, so the
    /// GatewaySync grain never waits on a gateway (which may itself be waiting on the GatewaySync grain).
    /// </summary>
    [OneWay]
    Task SetDesired(DesiredState state);

    Task<GatewaySnapshot> GetSnapshot();

    /// <summary>Forgets everything (the GatewaySync was deleted), after telling the agent to stop.</summary>
    [OneWay]
    Task Clear();
}
