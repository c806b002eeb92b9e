using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.Tables;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>[N]</c>, <c>['key']</c> and the equality filter
/// <c>[?(@.field=="value")]</c>. A path that names nothing yields no value (the cell is then empty), as the API server does.
/// </summary>
public sealed class JsonPathExpression
{
    private readonly IReadOnlyList<Func<JsonNode?, IEnumerable<JsonNode?>>> _steps;

    private JsonPathExpression(string text, IReadOnlyList<Func<JsonNode?, IEnumerable<JsonNode?>>> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the position of what it cannot read.</summary>
    public static JsonPathExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var steps = new List<Func<JsonNode?, IEnumerable<JsonNode?>>>();
        var i = text.StartsWith('{') && text.EndsWith('}') ? 1 : 0;
        var end = i == 1 ? text.Length - 1 : text.Length;
        if (i < end && text[i] == '$')
        {
            i++;
        }

        while (i < end)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < end && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0)
                {
                    throw new FormatException($"JSONPath \"{text}\": empty field name at {start}");
                }

                steps.Add(node => node is JsonObject o && o.TryGetPropertyValue(name, out var v) ? [v] : []);
            }
            else if (text[i] == '[')
            {
                var close = FindClose(text, i, end);
                var inner = text[(i + 1)..close];
                steps.Add(Bracket(text, inner));
                i = close + 1;
            }
            else
            {
                throw new FormatException($"JSONPath \"{text}\": unexpected '{text[i]}' at {i}");
            }
        }

        return new JsonPathExpression(text, steps);
    }

    /// <summary>The first value the path names, or null when it names none.</summary>
    public JsonNode? First(JsonNode? root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in _steps)
        {
            current = current.SelectMany(step).ToList();
        }

        return current.FirstOrDefault(n => n is not null);
    }

    private static int FindClose(string text, int open, int end)
    {
        char? quote = null;
        for (var i = open + 1; i < end; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        throw new FormatException($"JSONPath \"{text}\": '[' at {open} is never closed");
    }

    private static Func<JsonNode?, IEnumerable<JsonNode?>> Bracket(string text, string inner)
    {
        if (inner == "*")
        {
            return node => node switch
            {
                JsonArray a => a,
                JsonObject o => o.Select(p => p.Value),
                _ => [],
            };
        }

        if (int.TryParse(inner, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return node => node is JsonArray a && (index < 0 ? a.Count + index : index) is var at && at >= 0 && at < a.Count ? [a[at]] : [];
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            var key = inner[1..^1];
            return node => node is JsonObject o && o.TryGetPropertyValue(key, out var v) ? [v] : [];
        }

        if (inner.StartsWith("?(@.", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var condition = inner[4..^1];
            var equals = condition.IndexOf("==", StringComparison.Ordinal);
            if (equals > 0)
            {
                var field = condition[..equals].Trim();
                var literal = condition[(equals + 2)..].Trim();
                if (literal.Length >= 2 && literal[0] is '\'' or '"' && literal[^1] == literal[0])
                {
                    var expected = literal[1..^1];
                    return node => node is JsonArray a
                        ? a.Where(item => item is JsonObject o && o[field] is JsonValue v && v.ToString() == expected)
                        : [];
                }
            }
        }

        throw new FormatException($"JSONPath \"{text}\": unsupported subscript [{inner}]");
    }
}
