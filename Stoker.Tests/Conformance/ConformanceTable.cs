using System.Text.Json.Nodes;

namespace Stoker.Tests.Conformance;

// Loads a transcribed test table from Fixtures/Conformance (each file names its origin and licence).
internal static class ConformanceTable
{
    public static JsonObject Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conformance", fileName);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    public static IEnumerable<JsonObject> Cases(string fileName) =>
        Load(fileName)["cases"]!.AsArray().Select(c => c!.AsObject());

    // The cases to run (`skipped` false) or those recorded as skipped with their reason (`skipped` true).
    public static TheoryData<string> Names(string fileName, bool skipped)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(fileName).Where(c => c["skip"] is not null == skipped))
        {
            data.Add((string)c["name"]!);
        }

        return data;
    }

    public static JsonObject Case(string fileName, string name) =>
        Cases(fileName).Single(c => (string)c["name"]! == name);

    // "N run, M skipped (group: count, ...)": a skip reason's group is the text before its first ':'.
    public static string Summary(string fileName)
    {
        var cases = Cases(fileName).ToList();
        var groups = cases.Where(c => c["skip"] is not null)
            .GroupBy(c => ((string)c["skip"]!).Split(':')[0])
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key}: {g.Count()}");
        var skipped = cases.Count(c => c["skip"] is not null);
        return $"{fileName}: {cases.Count - skipped} run, {skipped} skipped ({string.Join(", ", groups)})";
    }

    // The original tables compare JSON with sorted keys and no whitespace.
    public static string Canonical(string json) => Sorted(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };
}
