using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// Learns of each GatewaySync's status as its grain stores it, for publishing it elsewhere (in Kubernetes mode: the
/// custom resource's <c>/status</c>). Called inside a grain turn, so it must only take note and return at once:
/// a grain never waits for the API server.
/// </summary>
public interface IGatewaySyncStatusSink
{
    /// <summary>The resource as stored, with its status; called again for every change, possibly with none.</summary>
    void StatusChanged(GatewaySync resource);

    /// <summary>The resource was deleted: anything still pending for it is dropped.</summary>
    void Deleted(string key);
}
