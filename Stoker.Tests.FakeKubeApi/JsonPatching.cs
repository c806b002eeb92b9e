using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>JSON merge patch (RFC 7386) and JSON patch (RFC 6902) over <see cref="JsonNode"/> trees.</summary>
public static class JsonPatching
{
    /// <summary>Applies a merge patch: objects merge key by key, <c>null</c> removes a key, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var merged = MergePatch(result[key], value);
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>Applies a JSON patch document (an array of operations) and returns the patched copy.</summary>
    public static JsonNode? JsonPatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new KubeApiException("json patch: the body must be an array of operations");
        }

        var document = target?.DeepClone();
        var index = 0;
        foreach (var item in operations)
        {
            if (item is not JsonObject operation)
            {
                throw new KubeApiException($"json patch: operation {index} is not an object");
            }

            var op = Text(operation, "op", index);
            var path = Text(operation, "path", index);
            switch (op)
            {
                case "add":
                    document = Add(document, path, Value(operation, index));
                    break;
                case "remove":
                    document = Remove(document, path, out _);
                    break;
                case "replace":
                    document = Remove(document, path, out _);
                    document = Add(document, path, Value(operation, index));
                    break;
                case "move":
                    {
                        document = Remove(document, Text(operation, "from", index), out var moved);
                        document = Add(document, path, moved);
                        break;
                    }

                case "copy":
                    document = Add(document, path, Get(document, Text(operation, "from", index))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation["value"]))
                    {
                        throw new KubeApiException(422, "Invalid", $"json patch: test operation {index} failed at {path}");
                    }

                    break;
                default:
                    throw new KubeApiException($"json patch: operation {index} has unknown op \"{op}\"");
            }

            index++;
        }

        return document;
    }

    private static string Text(JsonObject operation, string key, int index) =>
        operation[key] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new KubeApiException($"json patch: operation {index} lacks string \"{key}\"");

    private static JsonNode? Value(JsonObject operation, int index) =>
        operation.ContainsKey("value")
            ? operation["value"]?.DeepClone()
            : throw new KubeApiException($"json patch: operation {index} lacks \"value\"");

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new KubeApiException($"json patch: path \"{path}\" must start with /");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Get(JsonNode? document, string path) => Walk(document, Tokens(path), path);

    private static JsonNode? Walk(JsonNode? document, IEnumerable<string> tokens, string path)
    {
        var node = document;
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array when int.TryParse(token, out var i) && i >= 0 && i < array.Count => array[i],
                _ => throw new KubeApiException(422, "Invalid", $"json patch: path \"{path}\" does not exist"),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? document, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value;
        }

        var parent = Walk(document, tokens.Take(tokens.Count - 1), path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, out var i) && i >= 0 && i <= array.Count:
                array.Insert(i, value);
                break;
            default:
                throw new KubeApiException(422, "Invalid", $"json patch: cannot add at \"{path}\"");
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string path, out JsonNode? removed)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            removed = document;
            return null;
        }

        var parent = Walk(document, tokens.Take(tokens.Count - 1), path);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out var child):
                obj.Remove(last);
                removed = child;
                break;
            case JsonArray array when int.TryParse(last, out var i) && i >= 0 && i < array.Count:
                removed = array[i];
                array.RemoveAt(i);
                break;
            default:
                throw new KubeApiException(422, "Invalid", $"json patch: path \"{path}\" does not exist");
        }

        return document;
    }
}
