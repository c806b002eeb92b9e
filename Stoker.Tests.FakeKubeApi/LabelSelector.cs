using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// The equality-based label selector syntax: <c>key</c>, <c>!key</c>, <c>key=value</c>, <c>key==value</c>,
/// <c>key!=value</c>, comma-separated (all must hold), plus set-based <c>key in (a,b)</c> and <c>key notin (a,b)</c>.
/// </summary>
public sealed class LabelSelector
{
    private const int MaxLength = 4096;

    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        if (text.Length > MaxLength)
        {
            throw new KubeApiException($"labelSelector: longer than {MaxLength} characters");
        }

        var selector = new LabelSelector();
        foreach (var part in SplitTopLevel(text))
        {
            selector.requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        if (requirements.Count == 0)
        {
            return true;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        return requirements.TrueForAll(r => r(labels));
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw new KubeApiException($"labelSelector \"{whole}\": empty requirement");
        }

        var notIn = part.IndexOf(" notin ", StringComparison.Ordinal);
        if (notIn > 0)
        {
            var key = part[..notIn].Trim();
            var values = ParseSet(part[(notIn + 7)..], whole);
            return labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        var inIndex = part.IndexOf(" in ", StringComparison.Ordinal);
        if (inIndex > 0)
        {
            var key = part[..inIndex].Trim();
            var values = ParseSet(part[(inIndex + 4)..], whole);
            return labels => labels.TryGetValue(key, out var v) && values.Contains(v);
        }

        var notEquals = part.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            var key = part[..notEquals].Trim();
            var value = part[(notEquals + 2)..].Trim();
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }

        var equals = part.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].TrimStart('=').Trim();
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }

        if (part[0] == '!')
        {
            var key = part[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }

        if (part.Contains(' ', StringComparison.Ordinal) || part.Contains('(', StringComparison.Ordinal))
        {
            throw new KubeApiException($"labelSelector \"{whole}\": cannot parse requirement \"{part}\"");
        }

        return labels => labels.ContainsKey(part);
    }

    private static HashSet<string> ParseSet(string text, string whole)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '(' || trimmed[^1] != ')')
        {
            throw new KubeApiException($"labelSelector \"{whole}\": a set must be written (a,b)");
        }

        return trimmed[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }
}
