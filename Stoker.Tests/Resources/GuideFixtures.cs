using System.Text.Json.Nodes;

namespace Stoker.Tests.Resources;

/// <summary>The guide example resources under <c>Fixtures/Guides</c> and their expected structural defaults.</summary>
internal static class GuideFixtures
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Guides");

    public static IReadOnlyList<string> Names { get; } =
        System.IO.Directory.GetFiles(Directory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>fixture file name → dotted path → the value the API server fills in on create.</summary>
    public static IReadOnlyDictionary<string, JsonObject> ExpectedDefaults { get; } =
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "expected-defaults.json")))!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.AsObject(), StringComparer.Ordinal);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }

        return data;
    }

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));
}
