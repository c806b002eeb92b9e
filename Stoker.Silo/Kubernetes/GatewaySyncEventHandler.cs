using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// What the watcher does with each custom resource, through the same <see cref="GatewaySyncStore"/> as the apply API
/// and the manifests folder. The original's predicate: a resource is applied when first seen and again only when its
/// generation, uid or annotations change (status-only and finalizer-only updates are ignored). The finalizer is added
/// on first sight; a resource marked for deletion is deleted from the grains, then its finalizer removed. A resource
/// that cannot be taken gets a Ready=False/InvalidSpec status and is not tried again until it changes.
/// </summary>
public sealed partial class GatewaySyncEventHandler(
    IKubernetes client, GatewaySyncStore store, KubernetesStatusWriter status, IGatewaySyncEventSink events, ILogger<GatewaySyncEventHandler> logger)
    : IWatchHandler
{
    /// <summary>
    /// Annotations the grain adds to what it stores; ignored when comparing with a custom resource (the requested ref
    /// itself is compared: a new one must reach the grain).
    /// </summary>
    private static readonly string[] GrainAnnotations = [Annotations.Source, Annotations.RequestedAt, Annotations.RequestedBy];

    /// <summary>Key → what was last applied (or refused), for the predicate.</summary>
    private readonly ConcurrentDictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    /// <summary>Resources applied to the grains so far by this silo (for tests and logs).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>The GatewaySyncs (<c>{namespace}/{name}</c>) this silo's watch has taken in <paramref name="namespace"/>; empty off the leader.</summary>
    public IReadOnlyList<string> KeysIn(string @namespace) =>
        [.. _seen.Keys.Where(k => k.Length > @namespace.Length && k[@namespace.Length] == '/' && k.StartsWith(@namespace, StringComparison.Ordinal))];

    private long _applied;

    /// <summary>A full list: each item as a change, then whatever was taken from this scope and is no longer listed is deleted.</summary>
    public async Task ListedAsync(string? @namespace, IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Identity(item) is { } id)
            {
                listed.Add(id.Key);
                await ChangedAsync(item, cancellationToken);
            }
        }

        // What this silo or a previous leader took from Kubernetes and is gone now (deleted while nobody watched).
        foreach (var stored in await store.ListAsync(@namespace))
        {
            if (stored.Metadata.Annotations?.GetValueOrDefault(Annotations.Source) == KubernetesMode.SourceValue && !listed.Contains(stored.Key))
            {
                await CleanUpAsync(stored.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, stored.Metadata.Name ?? "");
            }
        }

        foreach (var key in _seen.Keys.Where(k => !listed.Contains(k) && (@namespace is null || k.StartsWith(@namespace + "/", StringComparison.Ordinal))))
        {
            _seen.TryRemove(key, out _);
        }
    }

    public async Task ChangedAsync(JsonObject item, CancellationToken cancellationToken)
    {
        if (Identity(item) is not { } id)
        {
            return;
        }

        var metadata = item["metadata"]!.AsObject();
        var finalizers = (metadata["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>()).OfType<string>().ToList();
        if (metadata["deletionTimestamp"] is not null)
        {
            if (finalizers.Contains(Annotations.Finalizer))
            {
                await CleanUpAsync(id.Namespace, id.Name);
                finalizers.Remove(Annotations.Finalizer);
                if (await PatchFinalizersAsync(id, metadata, finalizers, cancellationToken))
                {
                    LogFinalized(logger, id.Key);
                }
            }

            return;
        }

        if (!finalizers.Contains(Annotations.Finalizer))
        {
            await PatchFinalizersAsync(id, metadata, [.. finalizers, Annotations.Finalizer], cancellationToken);
        }

        var generation = metadata["generation"]?.GetValue<long>();
        var annotations = ReadAnnotations(metadata);
        var seen = new Seen(id.Uid, generation, Fingerprint(annotations));
        if (_seen.TryGetValue(id.Key, out var previous) && previous == seen)
        {
            return;
        }

        if (previous is null && await AlreadyAppliedAsync(id, generation, annotations))
        {
            _seen[id.Key] = seen;
            return;
        }

        var parsed = GatewaySyncSerializer.FromNode(ForGrain(item, annotations));
        if (!parsed.IsValid)
        {
            LogRefused(logger, id.Key, generation, parsed.Describe());
            status.Refused(id.Namespace, id.Name, generation, "Invalid spec: " + string.Join("; ", parsed.Violations.Select(v => v.ToString())));
            RecordProfileViolations(id, metadata, parsed.Violations);
            _seen[id.Key] = seen;
            return;
        }

        try
        {
            var stored = await store.ApplyAsync(parsed.Resource);
            Interlocked.Increment(ref _applied);
            LogApplied(logger, id.Key, stored.Metadata.Generation);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or CallRefusedException)
        {
            // The grain refused it: a condition on the resource, not a retry loop.
            LogRefused(logger, id.Key, generation, e.Message);
            status.Refused(id.Namespace, id.Name, generation, "Refused: " + e.Message);
        }

        _seen[id.Key] = seen;
    }

    /// <summary>
    /// The original's <c>ProfilesInvalid</c> warning for a resource refused here before any grain took it (so the
    /// grain, which records it on every pass, never sees it): once per change of the resource.
    /// </summary>
    private void RecordProfileViolations(ResourceId id, JsonObject metadata, IReadOnlyList<ResourceViolation> violations)
    {
        var profiles = violations.Where(v => v.Field == "spec.sync" || v.Field.StartsWith("spec.sync.", StringComparison.Ordinal)).ToList();
        if (profiles.Count == 0)
        {
            return;
        }

        var resource = new GatewaySync
        {
            Metadata = new Grains.Interfaces.Resources.ObjectMeta
            {
                Name = id.Name,
                Namespace = id.Namespace,
                Uid = id.Uid,
                ResourceVersion = (metadata["resourceVersion"] as JsonValue)?.ToString(),
                Annotations = new Dictionary<string, string> { [Annotations.Source] = KubernetesMode.SourceValue },
            },
        };
        events.Record(resource, GatewaySyncEvents.ProfilesInvalid(string.Join("; ", profiles.Select(v => v.ToString()))));
    }

    /// <summary>Deleted without the finalizer (removed by someone else, or never added): clean up all the same.</summary>
    public async Task DeletedAsync(JsonObject item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Identity(item) is { } id)
        {
            await CleanUpAsync(id.Namespace, id.Name);
        }
    }

    /// <summary>The grain's side of deleting a GatewaySync (docs/kubernetes.md): its gateways stop being served, its state goes.</summary>
    private async Task CleanUpAsync(string @namespace, string name)
    {
        _seen.TryRemove($"{@namespace}/{name}", out _);
        if (await store.DeleteAsync(@namespace, name) is not null)
        {
            LogDeleted(logger, $"{@namespace}/{name}");
        }

        status.Deleted($"{@namespace}/{name}");
    }

    /// <summary>First sight in this process (a restart, a new leader): the grain may hold this very generation already.</summary>
    private async Task<bool> AlreadyAppliedAsync(ResourceId id, long? generation, Dictionary<string, string> annotations)
    {
        if (await store.GetAsync(id.Namespace, id.Name) is not { } stored)
        {
            return false;
        }

        if (stored.Metadata.Uid != id.Uid && stored.Metadata.Annotations?.GetValueOrDefault(Annotations.Source) == KubernetesMode.SourceValue)
        {
            // Deleted and created again under the same name while nobody watched: a new resource, a new start.
            await store.DeleteAsync(id.Namespace, id.Name);
            return false;
        }

        return stored.Metadata.Uid == id.Uid && stored.Metadata.Generation == generation
            && Fingerprint(stored.Metadata.Annotations ?? new Dictionary<string, string>()) == Fingerprint(annotations);
    }

    /// <summary>
    /// Replaces the finalizer list (a merge patch replaces lists whole), guarded by the resourceVersion it was read at:
    /// another controller's finalizer added or removed meanwhile makes this a 409 instead of being overwritten, and
    /// the watch then delivers the newer object, which is handled again. False when nothing was written.
    /// </summary>
    private async Task<bool> PatchFinalizersAsync(ResourceId id, JsonObject metadata, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        var patchMetadata = new JsonObject { ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]) };
        if (metadata["resourceVersion"]?.GetValue<string>() is { Length: > 0 } resourceVersion)
        {
            patchMetadata["resourceVersion"] = resourceVersion;
        }

        var body = new JsonObject { ["metadata"] = patchMetadata };
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch),
                GatewaySync.Group, GatewaySync.Version, id.Namespace, GatewaySync.Plural, id.Name, fieldManager: KubernetesMode.FieldManager, cancellationToken: cancellationToken);
            return true;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Gone already: nothing left to add the finalizer to or remove it from.
            return false;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            LogFinalizerConflict(logger, id.Key);
            return false;
        }
    }

    /// <summary>The custom resource as the grain takes it: the server's bookkeeping dropped, the source marked.</summary>
    private static JsonObject ForGrain(JsonObject item, Dictionary<string, string> annotations)
    {
        var metadata = item["metadata"]!.AsObject();
        var trimmed = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "generation", "creationTimestamp", "labels" })
        {
            if (metadata[field] is { } value)
            {
                trimmed[field] = value.DeepClone();
            }
        }

        var marked = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            marked[key] = value;
        }

        marked[Annotations.Source] = KubernetesMode.SourceValue;
        trimmed["annotations"] = marked;
        var node = new JsonObject
        {
            ["apiVersion"] = item["apiVersion"]?.DeepClone(),
            ["kind"] = item["kind"]?.DeepClone(),
            ["metadata"] = trimmed,
        };
        if (item["spec"] is { } spec)
        {
            node["spec"] = spec.DeepClone();
        }

        return node;
    }

    private static Dictionary<string, string> ReadAnnotations(JsonObject metadata) =>
        (metadata["annotations"] as JsonObject ?? [])
            .Where(a => a.Value is JsonValue)
            .ToDictionary(a => a.Key, a => a.Value!.ToString(), StringComparer.Ordinal);

    private static string Fingerprint(IReadOnlyDictionary<string, string> annotations) =>
        string.Join("\n", annotations.Where(a => !GrainAnnotations.Contains(a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value));

    private static ResourceId? Identity(JsonObject item) =>
        item["metadata"] is JsonObject metadata && metadata["name"]?.GetValue<string>() is { Length: > 0 } name
            ? new ResourceId(metadata["namespace"]?.GetValue<string>() ?? ObjectMeta.DefaultNamespace, name, metadata["uid"]?.GetValue<string>())
            : null;

    private sealed record ResourceId(string Namespace, string Name, string? Uid)
    {
        public string Key => $"{Namespace}/{Name}";
    }

    private sealed record Seen(string? Uid, long? Generation, string Annotations);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "GatewaySync {Key} applied from its custom resource (generation {Generation})")]
    private static partial void LogApplied(ILogger logger, string key, long? generation);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "GatewaySync {Key} (generation {Generation}) refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string key, long? generation, string reason);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Information, Message = "GatewaySync {Key} deleted: its custom resource is gone")]
    private static partial void LogDeleted(ILogger logger, string key);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Debug, Message = "GatewaySync {Key}: changed while its finalizers were being updated; handled again from the newer version")]
    private static partial void LogFinalizerConflict(ILogger logger, string key);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Information, Message = "GatewaySync {Key}: cleaned up and finalizer removed")]
    private static partial void LogFinalized(ILogger logger, string key);
}
