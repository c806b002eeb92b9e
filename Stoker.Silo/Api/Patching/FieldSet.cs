using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// A set of field paths in the sense of server-side apply for our CRD: objects (maps) are granular, so each member
/// is its own field; lists are atomic (the one map list of the spec, <c>agent.resources.claims</c>, included: a
/// documented simplification, docs/kubectl-writes.md), so a list is one field,
/// as is any scalar and an empty object. Paths are kept as arrays of member names (encoded as JSON text, which is
/// unambiguous whatever a name contains).
/// </summary>
public sealed class FieldSet
{
    private readonly HashSet<string> _paths;

    private FieldSet(HashSet<string> paths) => _paths = paths;

    public static FieldSet Empty => new([]);

    public int Count => _paths.Count;

    public IEnumerable<IReadOnlyList<string>> Paths => _paths.Select(Decode);

    /// <summary>The leaf fields of an object tree.</summary>
    public static FieldSet Of(JsonObject tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Collect(tree, [], paths);
        return new(paths);
    }

    public static FieldSet From(IEnumerable<IReadOnlyList<string>> paths) => new(paths.Select(Encode).ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// Reads an API server <c>fieldsV1</c> tree: <c>f:name</c> descends; list items (<c>k:</c>, <c>v:</c>, <c>i:</c>)
    /// make the list one field here (lists are atomic); <c>.</c> marks the parent itself.
    /// </summary>
    public static FieldSet FromFieldsV1(string? json)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (json is not null && JsonNode.Parse(json) is JsonObject tree)
        {
            ReadTree(tree, [], paths);
        }

        return new(paths);
    }

    public bool Contains(IReadOnlyList<string> path) => _paths.Contains(Encode(path));

    public FieldSet Union(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new([.. _paths, .. other._paths]);
    }

    public FieldSet Except(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(_paths.Where(p => !other._paths.Contains(p)).ToHashSet(StringComparer.Ordinal));
    }

    public FieldSet Intersect(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(_paths.Where(other._paths.Contains).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The <c>fieldsV1</c> tree: <c>{"f:spec":{"f:git":{"f:ref":{}}}}</c>.</summary>
    public string ToFieldsV1()
    {
        var tree = new JsonObject();
        foreach (var path in _paths.Order(StringComparer.Ordinal).Select(Decode))
        {
            var node = tree;
            foreach (var name in path)
            {
                var key = "f:" + name;
                if (node[key] is not JsonObject child)
                {
                    child = [];
                    node[key] = child;
                }

                node = child;
            }
        }

        return tree.ToJsonString();
    }

    /// <summary>A path as the API server prints it in a conflict: <c>.spec.git.ref</c>.</summary>
    public static string Render(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return string.Concat(path.Select(p => "." + p));
    }

    /// <summary>The value at a path, and whether it is there.</summary>
    public static bool TryGet(JsonObject tree, IReadOnlyList<string> path, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? current = tree;
        foreach (var name in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(name, out current))
            {
                value = null;
                return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>Sets the value at a path, making the objects on the way.</summary>
    public static void Set(JsonObject tree, IReadOnlyList<string> path, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(path);
        var node = tree;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (node[path[i]] is not JsonObject child)
            {
                child = [];
                node[path[i]] = child;
            }

            node = child;
        }

        node[path[^1]] = value?.DeepClone();
    }

    /// <summary>Removes the field at a path, then the objects on the way that it left empty.</summary>
    public static void Remove(JsonObject tree, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(path);
        var chain = new List<JsonObject> { tree };
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (chain[^1][path[i]] is not JsonObject child)
            {
                return;
            }

            chain.Add(child);
        }

        chain[^1].Remove(path[^1]);
        for (var i = chain.Count - 1; i > 0 && chain[i].Count == 0; i--)
        {
            chain[i - 1].Remove(path[i - 1]);
        }
    }

    private static void Collect(JsonObject node, List<string> prefix, HashSet<string> paths)
    {
        foreach (var (key, value) in node)
        {
            prefix.Add(key);
            if (value is JsonObject { Count: > 0 } child)
            {
                Collect(child, prefix, paths);
            }
            else
            {
                paths.Add(Encode(prefix));
            }

            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    private static void ReadTree(JsonObject tree, List<string> prefix, HashSet<string> paths)
    {
        var descended = false;
        foreach (var (key, value) in tree)
        {
            if (key.StartsWith("f:", StringComparison.Ordinal) && value is JsonObject child)
            {
                descended = true;
                prefix.Add(key[2..]);
                ReadTree(child, prefix, paths);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }

        // A leaf, a "." marker, or list items (k:, v:, i:): the path itself is the field.
        if (!descended && prefix.Count > 0)
        {
            paths.Add(Encode(prefix));
        }
    }

    private static string Encode(IReadOnlyList<string> path) => JsonSerializer.Serialize(path);

    private static IReadOnlyList<string> Decode(string encoded) => JsonSerializer.Deserialize<string[]>(encoded)!;
}
