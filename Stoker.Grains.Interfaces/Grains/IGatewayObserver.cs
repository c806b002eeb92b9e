using Orleans.Concurrency;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>Implemented by the agent; the Gateway grain pushes to it one-way, sealed with the session's key.</summary>
public interface IGatewayObserver : IGrainObserver
{
    [OneWay]
    Task DesiredStateChanged(DesiredStatePush push);
}
