using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>Local mode: the status lives in the grain only and is read through the apply API.</summary>
public sealed class NullGatewaySyncStatusSink : IGatewaySyncStatusSink
{
    public void StatusChanged(GatewaySync resource)
    {
    }

    public void Deleted(string key)
    {
    }
}
