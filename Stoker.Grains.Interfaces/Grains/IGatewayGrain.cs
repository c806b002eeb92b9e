using Orleans.Concurrency;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>Control-plane side of one gateway (key <c>{namespace}/{crName}/{gatewayName}</c>).</summary>
public interface IGatewayGrain : IGatewayAgentGrain
{
    /// <summary>
    /// Takes its GatewaySync's newest release (older ones are ignored) and pushes the gateway's desired state to its
    /// agent when that state's content changed. One-way: the GatewaySync never waits on a gateway.
    /// </summary>
    [OneWay]
    Task Publish(Release release);

    /// <summary>
    /// Pod discovery's view of this gateway, as its GatewaySync received it (null: the pod is gone), with the
    /// GatewaySync's current release when it has one.
    /// </summary>
    [OneWay]
    Task SetPod(ExpectedGateway? pod, Release? release);

    Task<GatewaySnapshot> GetSnapshot();

    /// <summary>Forgets everything (the GatewaySync was deleted), after telling the agent to stop.</summary>
    [OneWay]
    Task Clear();
}
