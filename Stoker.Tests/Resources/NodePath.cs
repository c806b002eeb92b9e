using System.Globalization;
using System.Text.Json.Nodes;

namespace Stoker.Tests.Resources;

/// <summary>Dotted-path access to JSON trees (<c>spec.sync.profiles</c>, <c>mappings[1]</c>); keys themselves contain no dots here.</summary>
internal static class NodePath
{
    /// <summary>The node at <paramref name="path"/>, or <c>found = false</c> when a segment is missing.</summary>
    public static JsonNode? Find(JsonNode root, string path, out bool found)
    {
        JsonNode? current = root;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(name, out current))
            {
                found = false;
                return null;
            }

            while (bracket >= 0)
            {
                var close = segment.IndexOf(']', bracket);
                var index = int.Parse(segment[(bracket + 1)..close], CultureInfo.InvariantCulture);
                if (current is not JsonArray array || index >= array.Count)
                {
                    found = false;
                    return null;
                }

                current = array[index];
                bracket = segment.IndexOf('[', close);
            }
        }

        found = true;
        return current;
    }

    public static JsonObject Object(JsonNode root, string path) =>
        Find(root, path, out var found) is JsonObject obj && found ? obj : throw new InvalidOperationException($"no object at {path}");

    public static bool Exists(JsonNode root, string path)
    {
        Find(root, path, out var found);
        return found;
    }

    /// <summary>Every leaf (scalar or array) with its dotted path; objects are descended into.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Leaves(JsonObject root)
    {
        var leaves = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        Collect(root, "", leaves);
        return leaves;
    }

    private static void Collect(JsonObject obj, string prefix, SortedDictionary<string, JsonNode?> leaves)
    {
        foreach (var (key, child) in obj)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (child is JsonObject nested && nested.Count > 0)
            {
                Collect(nested, path, leaves);
            }
            else
            {
                leaves[path] = child;
            }
        }
    }
}
