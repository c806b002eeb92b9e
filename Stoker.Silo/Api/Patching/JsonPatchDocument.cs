using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// RFC 6902 JSON patch over a JSON tree (add, remove, replace, move, copy, test, with RFC 6901 pointers). Hand-written:
/// JsonPatch.Net is not served here, and Microsoft.AspNetCore.JsonPatch binds typed models and words its errors
/// for MVC; this one patches the untyped object the API checks afterwards, with the API server's messages.
/// </summary>
public static class JsonPatchDocument
{
    /// <summary>Operations one patch may hold: kubectl sends a handful; this only bounds the work of a hostile one.</summary>
    public const int MaxOperations = 10_000;

    /// <summary>Applies every operation in order to a copy of <paramref name="target"/>; throws <see cref="PatchException"/>.</summary>
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (patch is not JsonArray operations)
        {
            throw new PatchException("the JSON patch must be an array of operations", 400);
        }

        if (operations.Count > MaxOperations)
        {
            throw new PatchException($"the JSON patch holds {operations.Count} operations, more than {MaxOperations}", 400);
        }

        var root = new JsonObject { ["r"] = target.DeepClone() };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw new PatchException($"JSON patch operation {i}: must be an object", 400);
            }

            var op = Text(operation, "op", i);
            var path = Text(operation, "path", i);
            switch (op)
            {
                case "add":
                    Add(root, path, Value(operation, i), i);
                    break;
                case "remove":
                    Remove(root, path, i);
                    break;
                case "replace":
                    Remove(root, path, i);
                    Add(root, path, Value(operation, i), i);
                    break;
                case "move":
                    {
                        var from = Text(operation, "from", i);
                        if (path.StartsWith(from + "/", StringComparison.Ordinal))
                        {
                            throw new PatchException($"JSON patch operation {i}: cannot move \"{from}\" into its own child \"{path}\"");
                        }

                        var moved = Remove(root, from, i);
                        Add(root, path, moved, i);
                        break;
                    }

                case "copy":
                    Add(root, path, Get(root, Text(operation, "from", i), i)?.DeepClone(), i);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path, i), Value(operation, i)))
                    {
                        throw new PatchException($"JSON patch operation {i}: test failed: the value at \"{path}\" is not {Render(operation["value"])}");
                    }

                    break;
                default:
                    throw new PatchException($"JSON patch operation {i}: unknown op \"{op}\" (add, remove, replace, move, copy, test)", 400);
            }
        }

        return root["r"] ?? throw new PatchException("the JSON patch removed the whole object");
    }

    private static JsonNode? Get(JsonObject root, string pointer, int i)
    {
        var (parent, segment) = Parent(root, pointer, i);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(segment, out var value) => value,
            JsonArray a when Index(a, segment, i, allowEnd: false) is var index => a[index],
            _ => throw Missing(pointer, i),
        };
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value, int i)
    {
        var (parent, segment) = Parent(root, pointer, i);
        switch (parent)
        {
            case JsonObject o:
                o[segment] = value;
                break;
            case JsonArray a:
                var index = segment == "-" ? a.Count : Index(a, segment, i, allowEnd: true);
                a.Insert(index, value);
                break;
            default:
                throw Missing(pointer, i);
        }
    }

    private static JsonNode? Remove(JsonObject root, string pointer, int i)
    {
        var (parent, segment) = Parent(root, pointer, i);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(segment, out var value):
                o.Remove(segment);
                return value;
            case JsonArray a:
                var index = Index(a, segment, i, allowEnd: false);
                var item = a[index];
                a.RemoveAt(index);
                return item;
            default:
                throw Missing(pointer, i);
        }
    }

    /// <summary>The container the pointer's last segment lives in (the whole document hangs under a wrapper key).</summary>
    private static (JsonNode? Parent, string Token) Parent(JsonObject root, string pointer, int i)
    {
        if (pointer.Length > 0 && pointer[0] != '/')
        {
            throw new PatchException($"JSON patch operation {i}: path \"{pointer}\" must be empty or start with \"/\"", 400);
        }

        var segments = pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode? current = root;
        var segment = "r";
        foreach (var next in segments)
        {
            current = current switch
            {
                JsonObject o => o.TryGetPropertyValue(segment, out var child) ? child : throw Missing(pointer, i),
                JsonArray a => a[Index(a, segment, i, allowEnd: false)],
                _ => throw Missing(pointer, i),
            };
            segment = next;
        }

        return (current, segment);
    }

    private static int Index(JsonArray array, string segment, int i, bool allowEnd)
    {
        if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || (segment.Length > 1 && segment[0] == '0'))
        {
            throw new PatchException($"JSON patch operation {i}: \"{segment}\" is not an array index");
        }

        if (index > array.Count || (!allowEnd && index == array.Count))
        {
            throw new PatchException($"JSON patch operation {i}: index {index} is out of range (the array has {array.Count} items)");
        }

        return index;
    }

    private static string Text(JsonObject operation, string member, int i) =>
        operation[member] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new PatchException($"JSON patch operation {i}: \"{member}\" must be a string", 400);

    private static JsonNode? Value(JsonObject operation, int i) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException($"JSON patch operation {i}: \"value\" is required", 400);

    private static PatchException Missing(string pointer, int i) =>
        new($"JSON patch operation {i}: the path \"{pointer}\" does not exist");

    private static string Render(JsonNode? node) => Grains.Interfaces.Validation.StructuralValidator.Render(node);
}
