using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Monitoring;

/// <summary>One of the dashboards of <c>deploy/grafana/</c>, read as Grafana reads it, with what the tests need of it.</summary>
internal sealed partial class GrafanaDashboard
{
    public static readonly IReadOnlyList<string> Files = ["stoker-fleet.json", "stoker-detail.json"];

    /// <summary>Grafana's own interval variables, replaced by what Grafana would give them for a short time range.</summary>
    private static readonly IReadOnlyDictionary<string, string> BuiltIns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["__rate_interval"] = "1m",
        ["__interval"] = "15s",
        ["__range"] = "1h",
    };

    private GrafanaDashboard(string file, JsonObject root)
    {
        File = file;
        Root = root;
    }

    public string File { get; }

    public JsonObject Root { get; }

    public string Uid => (string?)Root["uid"] ?? "";

    public static string PathOf(string file) => Checkout.Combine("deploy", "grafana", file);

    public static GrafanaDashboard Load(string file) => new(file, JsonNode.Parse(System.IO.File.ReadAllText(PathOf(file)))!.AsObject());

    public static IEnumerable<GrafanaDashboard> All() => Files.Select(Load);

    /// <summary>Every panel, the rows' nested panels included.</summary>
    public IEnumerable<JsonObject> Panels() => Flatten(Root["panels"] as JsonArray ?? []);

    /// <summary>Every query a panel runs: where it is, and its PromQL as written (with template variables).</summary>
    public IEnumerable<(string Where, string Expression)> Expressions() =>
        from panel in Panels()
        from target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>()
        select ($"{File}: panel {panel["id"]} \"{panel["title"]}\" target {target["refId"]}", (string?)target["expr"] ?? "");

    /// <summary>The template variables in the order Grafana resolves them.</summary>
    public IReadOnlyList<JsonObject> Variables() => [.. (Root["templating"]?["list"] as JsonArray ?? []).OfType<JsonObject>()];

    /// <summary>A query variable's query text (Grafana keeps it as a string or as an object with a query field).</summary>
    public static string VariableQuery(JsonObject variable) => variable["query"] switch
    {
        JsonValue text => (string?)text ?? "",
        JsonObject query => (string?)query["query"] ?? "",
        _ => "",
    };

    /// <summary><c>label_values(SELECTOR, LABEL)</c> or <c>label_values(LABEL)</c>, split; null for any other query.</summary>
    public static (string? Selector, string Label)? ParseLabelValues(string query) =>
        LabelValues().Match(query.Trim()) is { Success: true } match
            ? (match.Groups["selector"].Success ? match.Groups["selector"].Value.Trim() : null, match.Groups["label"].Value)
            : null;

    /// <summary>
    /// <paramref name="text"/> with every variable (<c>$name</c>, <c>${name}</c>, <c>${name:format}</c>) replaced from
    /// <paramref name="values"/> or Grafana's interval built-ins; a variable known to neither is an error.
    /// </summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        VariableReference().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
            return values.TryGetValue(name, out var value) ? value
                : BuiltIns.TryGetValue(name, out var builtIn) ? builtIn
                : throw new InvalidOperationException($"variable ${name} is not defined (in {text})");
        });

    /// <summary>The names of the variables <paramref name="text"/> refers to, built-ins left out.</summary>
    public static IEnumerable<string> References(string text) =>
        VariableReference().Matches(text).Select(m => m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value)
            .Where(name => !BuiltIns.ContainsKey(name));

    private static IEnumerable<JsonObject> Flatten(JsonArray panels)
    {
        foreach (var panel in panels.OfType<JsonObject>())
        {
            yield return panel;
            foreach (var nested in Flatten(panel["panels"] as JsonArray ?? []))
            {
                yield return nested;
            }
        }
    }

    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::\w+)?\}|\$(?<plain>\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^label_values\((?:(?<selector>.+),)?\s*(?<label>\w+)\s*\)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex LabelValues();
}
