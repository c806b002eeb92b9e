using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api;

/// <summary>
/// What the Kubernetes API server is to a CR, for local mode: GatewaySync grains hold each resource, the registry
/// grain knows which exist. Shared by the apply API and the manifests folder.
/// </summary>
public sealed class GatewaySyncStore(IGrainFactory grains)
{
    public Task<GatewaySync?> GetAsync(string @namespace, string name) => Grain(@namespace, name).Get();

    /// <summary>Every stored resource in one namespace, or in all when <paramref name="namespace"/> is null, in key order.</summary>
    public async Task<IReadOnlyList<GatewaySync>> ListAsync(string? @namespace)
    {
        var keys = await Registry.List(@namespace);
        var resources = await Task.WhenAll(keys.Select(k =>
        {
            var (ns, name) = GrainKeys.ParseGatewaySync(k);
            return Grain(ns, name).Get();
        }));

        // A key whose grain answers null was left by a delete interrupted between the grain and the registry.
        return resources.OfType<GatewaySync>().ToList();
    }

    /// <summary>Creates or replaces the resource (its metadata names the key) and returns it as stored, with status.</summary>
    public async Task<GatewaySync> ApplyAsync(GatewaySync resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace;
        var name = resource.Metadata.Name ?? throw new ArgumentException("metadata.name is required", nameof(resource));

        // Registered first: a resource must never exist without being listed. A failed apply leaves at most a
        // listed key whose grain answers null, which listing skips.
        await Registry.Add(ns, name);
        return await Grain(ns, name).Apply(resource);
    }

    /// <summary>Deletes the resource; returns what was stored, or null when there was nothing.</summary>
    public async Task<GatewaySync?> DeleteAsync(string @namespace, string name)
    {
        var grain = Grain(@namespace, name);
        var existing = await grain.Get();
        if (existing is not null)
        {
            await grain.Delete();
        }

        await Registry.Remove(@namespace, name);
        return existing;
    }

    private IGatewaySyncRegistryGrain Registry => grains.GetGrain<IGatewaySyncRegistryGrain>(IGatewaySyncRegistryGrain.AllKey);

    private IGatewaySyncGrain Grain(string @namespace, string name) => grains.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync(@namespace, name));
}
