using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// The JSONPath subset CRD printer columns use: <c>.a.b</c>, <c>.a[0]</c> and one filter
/// <c>.a[?(@.key=="value")]</c> per step (first match). Anything else yields null, as a missing field does.
/// </summary>
public static class SimpleJsonPath
{
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = root;
        foreach (var step in Steps(path))
        {
            if (node is null)
            {
                return null;
            }

            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? step : step[..bracket];
            if (name.Length > 0)
            {
                node = node is JsonObject obj ? obj[name] : null;
            }

            if (bracket >= 0)
            {
                node = Index(node, step[(bracket + 1)..].TrimEnd(']'));
            }
        }

        return node;
    }

    private static JsonNode? Index(JsonNode? node, string selector)
    {
        if (node is not JsonArray array)
        {
            return null;
        }

        if (int.TryParse(selector, out var index))
        {
            return index >= 0 && index < array.Count ? array[index] : null;
        }

        // ?(@.key=="value")
        if (!selector.StartsWith("?(@.", StringComparison.Ordinal) || !selector.EndsWith(')'))
        {
            return null;
        }

        var condition = selector[4..^1];
        var equals = condition.IndexOf("==", StringComparison.Ordinal);
        if (equals < 0)
        {
            return null;
        }

        var key = condition[..equals].Trim();
        var value = condition[(equals + 2)..].Trim().Trim('"', '\'');
        return array.FirstOrDefault(item => item is JsonObject o && o[key] is JsonValue v && v.ToString() == value);
    }

    private static List<string> Steps(string path)
    {
        // Split on dots outside brackets.
        var steps = new List<string>();
        var depth = 0;
        var current = new System.Text.StringBuilder();
        foreach (var c in path.Trim().TrimStart('{').TrimEnd('}'))
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }

            if (c == '.' && depth == 0)
            {
                if (current.Length > 0)
                {
                    steps.Add(current.ToString());
                }

                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            steps.Add(current.ToString());
        }

        return steps;
    }
}
