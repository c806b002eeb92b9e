namespace Stoker.Silo.Kubernetes;

/// <summary>Where the silo takes GatewaySyncs from and publishes their status (setting <c>Stoker:Silo:Mode</c>).</summary>
public enum SiloMode
{
    /// <summary>The apply API and the manifests folder; status read through the apply API.</summary>
    Local,

    /// <summary>GatewaySync custom resources watched in the Kubernetes API; status written on each resource.</summary>
    Kubernetes,
}
