using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Events;

/// <summary>
/// Learns of the events that happen to a GatewaySync, for recording them elsewhere (in Kubernetes mode: core/v1 Events
/// on the custom resource). Called inside a grain turn or a webhook request, so it must only take note and return at
/// once, and never throw: nobody waits for the API server.
/// </summary>
public interface IGatewaySyncEventSink
{
    /// <param name="resource">The GatewaySync the event is about, as stored (its metadata names the object).</param>
    void Record(GatewaySync resource, GatewaySyncEvent @event);
}
