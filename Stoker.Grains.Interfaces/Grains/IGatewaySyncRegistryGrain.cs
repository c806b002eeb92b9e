namespace Stoker.Grains.Interfaces.Grains;

/// <summary>
/// Which GatewaySyncs exist (key <see cref="AllKey"/>): what a Kubernetes list would return. The local apply API and
/// the manifests folder keep it current; listing asks each listed GatewaySync grain for itself.
/// </summary>
public interface IGatewaySyncRegistryGrain : IGrainWithStringKey
{
    public const string AllKey = "all";

    Task Add(string @namespace, string name);

    Task Remove(string @namespace, string name);

    /// <summary>Keys (<c>{namespace}/{name}</c>) in ordinal order; all namespaces when <paramref name="namespace"/> is null.</summary>
    Task<IReadOnlyList<string>> List(string? @namespace);
}
