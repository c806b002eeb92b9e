using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// The fake's etcd: every object of every resource, one global resourceVersion counter, the history of
/// changes since the compaction point and the open watches. One lock guards it all; watch events are pushed
/// while it is held, so each watch sees changes in resourceVersion order.
/// </summary>
public sealed partial class ObjectStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, JsonObject> objects = [];
    private readonly List<StoredChange> history = [];
    private readonly List<Watcher> watchers = [];
    private readonly TimeProvider time;
    private long resourceVersion;
    private long compactedThrough;

    public ObjectStore(TimeProvider time)
    {
        this.time = time;
    }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (gate)
            {
                return resourceVersion;
            }
        }
    }

    /// <summary>Watches from a resourceVersion older than this get 410 Gone.</summary>
    public long CompactedThrough
    {
        get
        {
            lock (gate)
            {
                return compactedThrough;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (gate)
            {
                return watchers.Count;
            }
        }
    }

    public JsonObject Get(ResourceType type, string ns, string name)
    {
        lock (gate)
        {
            return (JsonObject)Find(new ObjectKey(type, ns, name)).DeepClone();
        }
    }

    public JsonObject? TryGet(ResourceType type, string ns, string name)
    {
        lock (gate)
        {
            return objects.TryGetValue(new ObjectKey(type, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields)
    {
        lock (gate)
        {
            var items = objects
                .Where(pair => pair.Key.Resource == type && (ns is null || pair.Key.Namespace == ns) && labels.Matches(pair.Value) && fields.Matches(pair.Value))
                .OrderBy(pair => pair.Key.Namespace, StringComparer.Ordinal)
                .ThenBy(pair => pair.Key.Name, StringComparer.Ordinal)
                .Select(pair => (JsonObject)pair.Value.DeepClone())
                .ToList();
            return (items, resourceVersion);
        }
    }

    /// <summary>Stores an object as given (status included), filling in the metadata the server owns.</summary>
    public JsonObject Seed(ResourceType type, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var ns = obj["metadata"]?["namespace"]?.GetValue<string>() ?? (type.Namespaced ? "default" : string.Empty);
        return Create(type, ns, obj, keepStatus: true);
    }

    public JsonObject Create(ResourceType type, string ns, JsonObject body, bool keepStatus = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(body);
        var obj = (JsonObject)body.DeepClone();
        CheckKind(type, obj);
        var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = metadata;
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var prefix = metadata["generateName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(prefix))
            {
                throw KubeApiException.Invalid(type, string.Empty, "metadata.name: Required value: name or generateName is required");
            }

            name = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        CheckName(type, name);
        if (type == ResourceCatalog.Secrets)
        {
            SecretData.Normalize(obj, name);
        }

        var bodyNamespace = metadata["namespace"]?.GetValue<string>();
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw new KubeApiException("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            ns = string.Empty;
            metadata.Remove("namespace");
        }

        metadata["name"] = name;
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        if (type.HasStatus && !keepStatus)
        {
            // The API server ignores status on create when the resource has a status subresource.
            obj.Remove("status");
        }

        lock (gate)
        {
            var key = new ObjectKey(type, ns, name);
            if (objects.ContainsKey(key))
            {
                throw KubeApiException.AlreadyExists(type, name);
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Timestamp(time.GetUtcNow());
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
            if (type.IsCustom)
            {
                metadata["generation"] = 1L;
            }
            else
            {
                metadata.Remove("generation");
            }

            Commit(key, null, obj, deleted: false);
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>PUT: replaces the object (or its status), with optimistic concurrency when the body names a resourceVersion.</summary>
    /// <param name="expectedResourceVersion">When set, the write fails with 409 Conflict unless the stored object still has this version (a read-modify-write done outside the lock, e.g. around admission webhooks).</param>
    public JsonObject Update(ResourceType type, string ns, string name, JsonObject body, string? subresource, string? expectedResourceVersion = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(body);
        CheckKind(type, body);
        lock (gate)
        {
            var key = new ObjectKey(type, ns, name);
            var current = Find(key);
            if (expectedResourceVersion is not null && expectedResourceVersion != current["metadata"]?["resourceVersion"]?.GetValue<string>())
            {
                throw KubeApiException.Conflict(type, name);
            }

            return Apply(key, current, (JsonObject)body.DeepClone(), subresource);
        }
    }

    /// <summary>PATCH: applies <paramref name="patch"/> to the current object (or its status) under the lock.</summary>
    public JsonObject Patch(ResourceType type, string ns, string name, Func<JsonObject, JsonNode?> patch, string? subresource)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(patch);
        lock (gate)
        {
            var key = new ObjectKey(type, ns, name);
            var current = Find(key);
            if (patch((JsonObject)current.DeepClone()) is not JsonObject proposed)
            {
                throw new KubeApiException(422, "Invalid", "the patch does not leave an object");
            }

            return Apply(key, current, proposed, subresource);
        }
    }

    /// <summary>DELETE: with finalizers the object only gets a deletionTimestamp; without, it goes.</summary>
    public JsonObject Delete(ResourceType type, string ns, string name, string? preconditionResourceVersion, string? preconditionUid)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (gate)
        {
            var key = new ObjectKey(type, ns, name);
            var current = Find(key);
            var metadata = (JsonObject)current["metadata"]!;
            if (preconditionUid is not null && preconditionUid != metadata["uid"]?.GetValue<string>())
            {
                throw new KubeApiException(409, "Conflict", $"Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {metadata["uid"]}");
            }

            if (preconditionResourceVersion is not null && preconditionResourceVersion != metadata["resourceVersion"]?.GetValue<string>())
            {
                throw new KubeApiException(409, "Conflict", $"Precondition failed: ResourceVersion in precondition: {preconditionResourceVersion}, ResourceVersion in object meta: {metadata["resourceVersion"]}");
            }

            if (metadata["finalizers"] is JsonArray { Count: > 0 })
            {
                if (metadata["deletionTimestamp"] is not null)
                {
                    return (JsonObject)current.DeepClone();
                }

                var next = (JsonObject)current.DeepClone();
                var nextMeta = (JsonObject)next["metadata"]!;
                nextMeta["deletionTimestamp"] = Timestamp(time.GetUtcNow());
                nextMeta["deletionGracePeriodSeconds"] = 0;
                if (Number(nextMeta["generation"]) > 0)
                {
                    nextMeta["generation"] = Number(nextMeta["generation"]) + 1;
                }

                Commit(key, current, next, deleted: false);
                return (JsonObject)next.DeepClone();
            }

            var gone = (JsonObject)current.DeepClone();
            Commit(key, current, gone, deleted: true);
            return (JsonObject)gone.DeepClone();
        }
    }

    /// <summary>Opens a watch from <paramref name="fromResourceVersion"/> (empty or "0": synthetic ADDED events for what exists now).</summary>
    public Watcher Watch(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, string? fromResourceVersion, bool bookmarks, bool goneAsErrorEvent)
    {
        var watcher = new Watcher(type, ns, labels, fields, bookmarks);
        lock (gate)
        {
            if (string.IsNullOrEmpty(fromResourceVersion) || fromResourceVersion == "0")
            {
                foreach (var (key, obj) in objects.OrderBy(p => p.Key.Namespace, StringComparer.Ordinal).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
                {
                    if (watcher.Selects(key) && watcher.Matches(obj))
                    {
                        watcher.Push("ADDED", obj);
                    }
                }
            }
            else
            {
                if (!long.TryParse(fromResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw new KubeApiException($"resourceVersion: Invalid value: \"{fromResourceVersion}\": must be a number");
                }

                if (from < compactedThrough)
                {
                    var gone = KubeApiException.Gone(from, compactedThrough);
                    if (!goneAsErrorEvent)
                    {
                        throw gone;
                    }

                    // The watch cache answers this way: a 200 stream whose only event is ERROR with a 410 Status.
                    watcher.Push("ERROR", StatusObject.From(gone));
                    watcher.Complete();
                    return watcher;
                }

                foreach (var change in history)
                {
                    if (change.ResourceVersion > from)
                    {
                        watcher.Offer(change);
                    }
                }
            }

            watchers.Add(watcher);
            return watcher;
        }
    }

    public void StopWatching(Watcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        lock (gate)
        {
            watchers.Remove(watcher);
            watcher.Complete();
        }
    }

    /// <summary>Sends a BOOKMARK carrying the newest resourceVersion to <paramref name="watcher"/>, in order with its events.</summary>
    public void Bookmark(Watcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        lock (gate)
        {
            if (watchers.Contains(watcher))
            {
                watcher.Push("BOOKMARK", BookmarkObject(watcher.Resource, resourceVersion));
            }
        }
    }

    /// <summary>Forgets history up to now: a watch from any older resourceVersion then gets 410 Gone.</summary>
    public void Compact()
    {
        lock (gate)
        {
            compactedThrough = resourceVersion;
            history.RemoveAll(c => c.ResourceVersion <= compactedThrough);
        }
    }

    /// <summary>Ends every open watch stream, as an API server restart or a load balancer timeout would.</summary>
    public int DropWatches()
    {
        lock (gate)
        {
            var count = watchers.Count;
            foreach (var watcher in watchers)
            {
                watcher.Complete();
            }

            watchers.Clear();
            return count;
        }
    }

    /// <summary>Sends an ERROR event with a 410 Expired Status into every open watch and ends it.</summary>
    public int ExpireWatches()
    {
        lock (gate)
        {
            compactedThrough = resourceVersion;
            history.RemoveAll(c => c.ResourceVersion <= compactedThrough);
            var count = watchers.Count;
            foreach (var watcher in watchers)
            {
                watcher.Push("ERROR", StatusObject.From(KubeApiException.Gone(compactedThrough - 1, compactedThrough)));
                watcher.Complete();
            }

            watchers.Clear();
            return count;
        }
    }

    public static string Timestamp(DateTimeOffset when) =>
        when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject BookmarkObject(ResourceType type, long rv) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
    };

    private static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = obj["kind"]?.GetValue<string>();
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        if ((kind is not null && kind != type.Kind) || (apiVersion is not null && apiVersion != type.ApiVersion))
        {
            throw new KubeApiException($"the API version in the data ({apiVersion}) and kind ({kind}) do not match the request ({type.ApiVersion}, {type.Kind})");
        }

        if (obj["metadata"] is not null and not JsonObject)
        {
            throw new KubeApiException("metadata: must be an object");
        }
    }

    private static void CheckName(ResourceType type, string name)
    {
        if (name.Length > 253 || !NamePattern().IsMatch(name))
        {
            throw KubeApiException.Invalid(type, name, $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NamePattern();

    private static bool SpecEqual(JsonObject a, JsonObject b)
    {
        // Everything but metadata and status counts as spec for the generation.
        var keys = a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Where(k => k is not ("metadata" or "status")).Distinct();
        return keys.All(k => JsonNode.DeepEquals(a[k], b[k]));
    }

    private static long Number(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static HashSet<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray list
            ? list.Select(f => f?.GetValue<string>() ?? string.Empty).ToHashSet(StringComparer.Ordinal)
            : [];

    private JsonObject Find(ObjectKey key) =>
        objects.TryGetValue(key, out var found) ? found : throw KubeApiException.NotFound(key.Resource, key.Name);

    private JsonObject Apply(ObjectKey key, JsonObject current, JsonObject proposed, string? subresource)
    {
        var type = key.Resource;
        var currentMeta = (JsonObject)current["metadata"]!;
        if (proposed["metadata"] is not null and not JsonObject)
        {
            throw new KubeApiException("metadata: must be an object");
        }

        var proposedMeta = proposed["metadata"] as JsonObject ?? new JsonObject();
        var proposedName = proposedMeta["name"]?.GetValue<string>();
        if (proposedName is not null && proposedName != key.Name)
        {
            throw new KubeApiException($"the name of the object ({proposedName}) does not match the name on the URL ({key.Name})");
        }

        var proposedVersion = proposedMeta["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(proposedVersion) && proposedVersion != currentMeta["resourceVersion"]?.GetValue<string>())
        {
            throw KubeApiException.Conflict(type, key.Name);
        }

        JsonObject next;
        if (subresource == "status")
        {
            next = (JsonObject)current.DeepClone();
            if (proposed["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = (JsonObject)proposed.DeepClone();
            var nextMeta = next["metadata"] as JsonObject ?? new JsonObject();
            next["metadata"] = nextMeta;
            foreach (var owned in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                if (currentMeta[owned] is { } value)
                {
                    nextMeta[owned] = value.DeepClone();
                }
                else
                {
                    nextMeta.Remove(owned);
                }
            }

            next["apiVersion"] = type.ApiVersion;
            next["kind"] = type.Kind;
            if (type == ResourceCatalog.Secrets)
            {
                SecretData.Normalize(next, key.Name);
            }

            if (type.HasStatus)
            {
                if (current["status"] is { } status)
                {
                    next["status"] = status.DeepClone();
                }
                else
                {
                    next.Remove("status");
                }
            }

            if (currentMeta["deletionTimestamp"] is not null && Finalizers(next).Except(Finalizers(current)).Any())
            {
                throw KubeApiException.Invalid(type, key.Name, "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted");
            }

            if (type.IsCustom && !SpecEqual(current, next))
            {
                nextMeta["generation"] = Number(currentMeta["generation"]) + 1;
            }
        }

        ((JsonObject)next["metadata"]!)["resourceVersion"] = currentMeta["resourceVersion"]?.DeepClone();
        if (JsonNode.DeepEquals(current, next))
        {
            // A write that changes nothing keeps the resourceVersion and sends no event, as the API server does.
            return (JsonObject)current.DeepClone();
        }

        var finished = next["metadata"]!["deletionTimestamp"] is not null && Finalizers(next).Count == 0;
        Commit(key, current, next, deleted: finished);
        return (JsonObject)next.DeepClone();
    }

    /// <summary>Gives <paramref name="next"/> a new resourceVersion, stores (or removes) it and tells the watches. Caller holds the lock.</summary>
    private void Commit(ObjectKey key, JsonObject? previous, JsonObject next, bool deleted)
    {
        resourceVersion++;
        ((JsonObject)next["metadata"]!)["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        var stored = (JsonObject)next.DeepClone();
        if (deleted)
        {
            objects.Remove(key);
        }
        else
        {
            objects[key] = stored;
        }

        var change = new StoredChange(resourceVersion, key, previous, stored, deleted);
        history.Add(change);
        foreach (var watcher in watchers)
        {
            watcher.Offer(change);
        }
    }
}
