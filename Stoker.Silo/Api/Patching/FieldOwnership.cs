using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// <c>metadata.managedFields</c> as the API server keeps it (docs/kubectl-writes.md, "Field managers"): an update
/// (POST, PUT, PATCH) gives its manager the fields it set or changed and takes them from the others; a server-side
/// apply by manager M sets what M applied, removes what M applied before and no longer does (unless another manager
/// owns it too), and stops on fields another manager owns with another value unless forced.
/// </summary>
public static class FieldOwnership
{
    /// <summary>Metadata the server owns or that names the object: never part of any manager's fields.</summary>
    private static readonly string[] UntrackedMetadata =
        ["name", "namespace", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "managedFields", "selfLink"];

    /// <summary>A copy of the object holding only the fields managers own: no apiVersion, kind, status or server metadata.</summary>
    public static JsonObject Trackable(JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var copy = resource.DeepClone().AsObject();
        copy.Remove("apiVersion");
        copy.Remove("kind");
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in UntrackedMetadata)
            {
                metadata.Remove(key);
            }

            if (metadata.Count == 0)
            {
                copy.Remove("metadata");
            }
        }

        return copy;
    }

    /// <summary>The owners after an update by <paramref name="manager"/> from <paramref name="live"/> (null: a create) to <paramref name="next"/>.</summary>
    public static IReadOnlyList<ManagedFieldsEntry> Update(
        JsonObject? live, JsonObject next, IReadOnlyList<ManagedFieldsEntry>? managed, string manager, string apiVersion, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(next);
        var before = live is null ? FieldSet.Empty : FieldSet.Of(live);
        var after = FieldSet.Of(next);
        var changedPaths = new List<IReadOnlyList<string>>();
        foreach (var path in after.Paths)
        {
            FieldSet.TryGet(next, path, out var value);
            if (live is null || !FieldSet.TryGet(live, path, out var old) || !JsonNode.DeepEquals(old, value))
            {
                changedPaths.Add(path);
            }
        }

        var changed = FieldSet.From(changedPaths);

        var removed = before.Except(after);
        var taken = changed.Union(removed);
        var result = new List<ManagedFieldsEntry>();
        var found = false;
        foreach (var entry in managed ?? [])
        {
            if (entry.Subresource is { Length: > 0 })
            {
                result.Add(entry);
                continue;
            }

            var fields = FieldSet.FromFieldsV1(entry.FieldsV1);
            if (IsOwn(entry, manager, ManagedFieldsEntry.OperationUpdate))
            {
                found = true;
                var own = fields.Except(removed).Union(changed);
                Keep(result, entry, fields, own, changed.Count > 0 ? now : null);
            }
            else
            {
                Keep(result, entry, fields, fields.Except(taken), null);
            }
        }

        if (!found && changed.Count > 0)
        {
            result.Add(Entry(manager, ManagedFieldsEntry.OperationUpdate, apiVersion, now, changed));
        }

        return result;
    }

    /// <summary>
    /// Server-side apply of <paramref name="applied"/> (trackable fields only) by <paramref name="manager"/> onto
    /// <paramref name="live"/> (null: the object does not exist yet).
    /// </summary>
    public static ApplyOutcome Apply(
        JsonObject? live, JsonObject applied, IReadOnlyList<ManagedFieldsEntry>? managed, string manager, string apiVersion, bool force, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var appliedFields = FieldSet.Of(applied);
        var entries = (managed ?? []).Select(e => (Entry: e, Fields: FieldSet.FromFieldsV1(e.FieldsV1))).ToList();
        var conflicts = new List<FieldConflict>();
        var conflictingPaths = new List<IReadOnlyList<string>>();
        foreach (var (entry, fields) in entries.Where(e => !IsOwn(e.Entry, manager, ManagedFieldsEntry.OperationApply) && e.Entry.Subresource is not { Length: > 0 }))
        {
            foreach (var path in fields.Intersect(appliedFields).Paths)
            {
                FieldSet.TryGet(applied, path, out var value);
                if (live is null || !FieldSet.TryGet(live, path, out var current) || !JsonNode.DeepEquals(current, value))
                {
                    conflicts.Add(new FieldConflict(entry.Manager ?? "", entry.ApiVersion, FieldSet.Render(path)));
                    conflictingPaths.Add(path);
                }
            }
        }

        var conflicting = FieldSet.From(conflictingPaths);
        if (conflicts.Count > 0 && !force)
        {
            return new ApplyOutcome(null, managed ?? [], conflicts);
        }

        var previous = entries.Where(e => IsOwn(e.Entry, manager, ManagedFieldsEntry.OperationApply)).Select(e => e.Fields).FirstOrDefault() ?? FieldSet.Empty;
        var others = entries.Where(e => !IsOwn(e.Entry, manager, ManagedFieldsEntry.OperationApply))
            .Aggregate(FieldSet.Empty, (all, e) => all.Union(e.Fields.Except(conflicting)));
        var result = live?.DeepClone().AsObject() ?? [];
        foreach (var path in previous.Except(appliedFields).Paths.Where(p => !others.Contains(p)))
        {
            FieldSet.Remove(result, path);
        }

        foreach (var path in appliedFields.Paths)
        {
            FieldSet.TryGet(applied, path, out var value);

            // An empty object applied says "this map exists", not "empty it": members others set stay.
            if (value is JsonObject { Count: 0 } && FieldSet.TryGet(result, path, out var existing) && existing is JsonObject)
            {
                continue;
            }

            FieldSet.Set(result, path, value);
        }

        var owners = new List<ManagedFieldsEntry>();
        var found = false;
        foreach (var (entry, fields) in entries)
        {
            if (IsOwn(entry, manager, ManagedFieldsEntry.OperationApply))
            {
                found = true;
                Keep(owners, entry, fields, appliedFields, now);
            }
            else
            {
                Keep(owners, entry, fields, fields.Except(conflicting), null);
            }
        }

        if (!found && appliedFields.Count > 0)
        {
            owners.Add(Entry(manager, ManagedFieldsEntry.OperationApply, apiVersion, now, appliedFields));
        }

        return new ApplyOutcome(result, owners, []);
    }

    /// <summary>The API server's wording: <c>Apply failed with 1 conflict: conflict with "m" using stoker.io/v1alpha1: .spec.git.ref</c>.</summary>
    public static string ConflictMessage(IReadOnlyList<FieldConflict> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        var groups = conflicts.GroupBy(c => (c.Manager, c.ApiVersion)).Select(g => g.Count() == 1
            ? $"conflict with \"{g.Key.Manager}\" using {g.Key.ApiVersion}: {g.First().Path}"
            : $"conflicts with \"{g.Key.Manager}\" using {g.Key.ApiVersion}:\n" + string.Join("\n", g.Select(c => "- " + c.Path)));
        return $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {string.Join("\n", groups)}";
    }

    private static bool IsOwn(ManagedFieldsEntry entry, string manager, string operation) =>
        entry.Manager == manager && entry.Operation == operation && entry.Subresource is not { Length: > 0 };

    /// <summary>Keeps the entry with its new fields (unchanged when they are the same), dropping it when it owns nothing.</summary>
    private static void Keep(List<ManagedFieldsEntry> into, ManagedFieldsEntry entry, FieldSet before, FieldSet after, DateTimeOffset? touched)
    {
        if (after.Count == 0)
        {
            return;
        }

        var same = after.Count == before.Count && after.Except(before).Count == 0;
        into.Add(same && touched is null ? entry : entry with { FieldsType = ManagedFieldsEntry.FieldsTypeV1, FieldsV1 = after.ToFieldsV1(), Time = touched ?? entry.Time });
    }

    private static ManagedFieldsEntry Entry(string manager, string operation, string apiVersion, DateTimeOffset now, FieldSet fields) => new()
    {
        Manager = manager,
        Operation = operation,
        ApiVersion = apiVersion,
        Time = now,
        FieldsType = ManagedFieldsEntry.FieldsTypeV1,
        FieldsV1 = fields.ToFieldsV1(),
    };
}
