using Stoker.Templating;

namespace Stoker.Tests.Templating;

/// <summary>The agent's template data (docs/templates.md) with values the tests can rely on.</summary>
internal static class TemplateTestData
{
    public static TemplateObject Gateway(
        IReadOnlyDictionary<string, string>? vars = null,
        IReadOnlyDictionary<string, string>? labels = null,
        int podOrdinal = 0) =>
        new("TemplateData", new Dictionary<string, object?>
        {
            ["GatewayName"] = "gw-east",
            ["PodName"] = "gw-east-0",
            ["PodOrdinal"] = podOrdinal,
            ["Namespace"] = "ignition",
            ["Ref"] = "main",
            ["Commit"] = "0123abcd",
            ["CRName"] = "site-sync",
            ["Labels"] = labels ?? new Dictionary<string, string>
            {
                ["app"] = "ignition",
                ["app.kubernetes.io/name"] = "gw",
                ["my-label"] = "x",
            },
            ["Vars"] = vars ?? new Dictionary<string, string>
            {
                ["siteCode"] = "EAST",
                ["env"] = "prod",
            },
        });

    /// <summary>A Go map[string]interface{} root, for lists, nesting and empty values.</summary>
    public static IReadOnlyDictionary<string, object?> Collections() => new Dictionary<string, object?>
    {
        ["Items"] = new[] { "a", "b" },
        ["Nums"] = new List<object?> { 1, 2, 3, 4, 5 },
        ["Empty"] = Array.Empty<string>(),
        ["EmptyMap"] = new Dictionary<string, string>(),
        ["Labels"] = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
        ["Nested"] = new Dictionary<string, object?> { ["a"] = new Dictionary<string, string> { ["b"] = "c" } },
        ["Nothing"] = null,
        ["Ratio"] = 0.5,
        ["Count"] = 3L,
    };

    public static string Render(string text, object? data) => GoTemplate.Parse(text, "t").Render(data);
}
