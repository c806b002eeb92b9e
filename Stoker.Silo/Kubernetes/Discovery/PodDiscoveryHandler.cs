using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Api;

namespace Stoker.Silo.Kubernetes.Discovery;

/// <summary>
/// Pod events → the GatewaySync grains' rosters (docs/kubernetes.md): a pod that
/// stands for a gateway (<see cref="DiscoveredPod"/>) makes it expected, on a change of anything the grain takes from
/// it only; a pod that stops standing for it (deleted, no longer Running, annotation removed, renamed, moved to another
/// GatewaySync) forgets it, unless another pod still stands for the same gateway (replicas sharing one name). A full
/// list hands each GatewaySync its complete set, which forgets gateways whose pods went while nobody watched.
/// </summary>
public sealed partial class PodDiscoveryHandler(IGrainFactory grains, GatewaySyncStore store, ILogger<PodDiscoveryHandler> logger) : IWatchHandler
{
    private readonly Lock _gate = new();

    /// <summary>Pod key → what it stood for when the grain was last told. Updated only after the grain took it, so a
    /// failed call is made again when the watch resumes before the event.</summary>
    private readonly Dictionary<string, DiscoveredPod> _pods = new(StringComparer.Ordinal);

    public async Task ListedAsync(string? @namespace, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, DiscoveredPod>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (DiscoveredPod.From(item) is { } pod)
            {
                listed[pod.PodKey] = pod;
            }
        }

        // Every GatewaySync this scope's pods named before or name now, and every resource there (a new leader knows
        // nothing of what the previous one discovered), gets its complete set; one pod per gateway, the first by name.
        var resources = listed.Values.Select(p => p.ResourceKey).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            resources.UnionWith(_pods.Values.Where(p => InScope(p, @namespace)).Select(p => p.ResourceKey));
        }

        resources.UnionWith((await store.ListAsync(@namespace)).Select(r => r.Key));
        foreach (var resource in resources.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gateways = listed.Values.Where(p => p.ResourceKey == resource)
                .GroupBy(p => p.GatewayKey, StringComparer.Ordinal)
                .Select(g => g.OrderBy(p => p.Gateway.PodName, StringComparer.Ordinal).First().Gateway)
                .ToList();
            await Grain(resource).SetDiscoveredGateways(gateways);
        }

        lock (_gate)
        {
            foreach (var key in _pods.Where(p => InScope(p.Value, @namespace)).Select(p => p.Key).ToList())
            {
                _pods.Remove(key);
            }

            foreach (var (key, pod) in listed)
            {
                _pods[key] = pod;
            }
        }

        LogListed(logger, @namespace ?? "(all namespaces)", listed.Count, resources.Count);
    }

    public Task ChangedAsync(JsonObject item, CancellationToken cancellationToken) =>
        DiscoveredPod.KeyOf(item) is { } key ? UpdateAsync(key, DiscoveredPod.From(item)) : Task.CompletedTask;

    public Task DeletedAsync(JsonObject item, CancellationToken cancellationToken) =>
        DiscoveredPod.KeyOf(item) is { } key ? UpdateAsync(key, null) : Task.CompletedTask;

    private async Task UpdateAsync(string podKey, DiscoveredPod? now)
    {
        DiscoveredPod? before;
        DiscoveredPod? successor = null;
        lock (_gate)
        {
            before = _pods.GetValueOrDefault(podKey);
            if (before?.Fingerprint == now?.Fingerprint && before?.GatewayKey == now?.GatewayKey)
            {
                return;
            }

            if (before is not null && before.GatewayKey != now?.GatewayKey)
            {
                successor = _pods.Values.Where(p => p.PodKey != podKey && p.GatewayKey == before.GatewayKey)
                    .OrderBy(p => p.Gateway.PodName, StringComparer.Ordinal).FirstOrDefault();
            }
        }

        if (before is not null && before.GatewayKey != now?.GatewayKey)
        {
            if (successor is null)
            {
                LogForgotten(logger, before.GatewayKey, podKey);
                await Grain(before.ResourceKey).ForgetGateway(before.Gateway.Name);
            }
            else
            {
                // Another pod still stands for that gateway: it keeps it, described by that pod now.
                await Grain(before.ResourceKey).ExpectGateway(successor.Gateway);
            }
        }

        if (now is not null)
        {
            LogExpected(logger, now.GatewayKey, podKey, now.Gateway.Profile ?? "", now.Gateway.RefOverride ?? "", now.Gateway.MissingSidecar);
            await Grain(now.ResourceKey).ExpectGateway(now.Gateway);
        }

        lock (_gate)
        {
            if (now is null)
            {
                _pods.Remove(podKey);
            }
            else
            {
                _pods[podKey] = now;
            }
        }
    }

    private static bool InScope(DiscoveredPod pod, string? @namespace) => @namespace is null || pod.Gateway.Namespace == @namespace;

    private IGatewaySyncGrain Grain(string resourceKey) => grains.GetGrain<IGatewaySyncGrain>(resourceKey);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Pods in {Scope} listed: {Gateways} gateway pod(s) for {Resources} GatewaySync(s)")]
    private static partial void LogListed(ILogger logger, string scope, int gateways, int resources);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "Gateway {Gateway} expected from pod {Pod} (profile \"{Profile}\", ref override \"{RefOverride}\", missing sidecar {MissingSidecar})")]
    private static partial void LogExpected(ILogger logger, string gateway, string pod, string profile, string refOverride, bool missingSidecar);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Information, Message = "Gateway {Gateway} forgotten: pod {Pod} no longer stands for it")]
    private static partial void LogForgotten(ILogger logger, string gateway, string pod);
}
