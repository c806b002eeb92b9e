using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Events;

/// <summary>Local mode: there is no object to record events on; the logs and the status say what happened.</summary>
public sealed class NullGatewaySyncEventSink : IGatewaySyncEventSink
{
    public void Record(GatewaySync resource, GatewaySyncEvent @event)
    {
    }
}
