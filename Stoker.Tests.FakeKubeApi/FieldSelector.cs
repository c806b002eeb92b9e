using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>The field selectors every resource supports: <c>metadata.name</c> and <c>metadata.namespace</c>, with <c>=</c>, <c>==</c> or <c>!=</c>.</summary>
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
            if (field is not ("metadata.name" or "metadata.namespace"))
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
            var key = field == "metadata.name" ? "name" : "namespace";
            var actual = obj["metadata"]?[key]?.GetValue<string>() ?? string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
