using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// Field selectors with <c>=</c>, <c>==</c> or <c>!=</c> on any dotted field (<c>metadata.name</c>,
/// <c>involvedObject.uid</c>, <c>spec.nodeName</c>...); a missing field compares as empty. A real API server
/// allows only a few fields per resource; the fake is more lenient there.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> requirements = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEquals = part.IndexOf("!=", StringComparison.Ordinal);
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var (field, value, equal) = notEquals > 0
                ? (part[..notEquals], part[(notEquals + 2)..], false)
                : equals > 0
                    ? (part[..equals], part[(equals + 1)..].TrimStart('='), true)
                    : throw new KubeApiException($"fieldSelector \"{text}\": expected field=value in \"{part}\"");
            if (field.Length == 0 || field.Contains('[', StringComparison.Ordinal))
            {
                throw new KubeApiException($"fieldSelector \"{text}\": field label not supported: {field}");
            }

            selector.requirements.Add((field, value, equal));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, equal) in requirements)
        {
            var actual = SimpleJsonPath.Evaluate(obj, "." + field)?.ToString() ?? string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
