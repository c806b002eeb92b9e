using System.Text;
using System.Text.Json.Nodes;
using Stoker.Sync.Patching;

namespace Stoker.Tests.Conformance;

// gjson v1.18.0's query tests (Fixtures/Conformance/gjson-v1.18.0-queries.json) run through the locator
// the patcher uses for query paths: the values it selects are the values gjson returns.
public sealed class GjsonQueryConformanceTests
{
    private const string Table = "gjson-v1.18.0-queries.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Query_SelectsWhatGjsonReturns(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        var document = (string)ConformanceTable.Load(Table)["documents"]![(string)c["document"]!]!;
        var path = (string)c["path"]!;

        if (c["count"] is { } count)
        {
            // The count is computed by gjson, so the piped path itself selects nothing in the file.
            Assert.Empty(Select(document, path));
            Assert.Equal((int)count, Select(document, path[..^"|#".Length]).Length);
        }
        else if (c["exists"] is { } exists)
        {
            Assert.Equal((bool)exists, Select(document, path).Length > 0);
        }
        else if (c["string"] is { } expected)
        {
            var selected = Assert.Single(Select(document, path));
            Assert.Equal((string)expected!, JsonNode.Parse(selected)!.GetValue<string>());
        }
        else
        {
            Assert.Equal((string)c["raw"]!, "[" + string.Join(",", Select(document, path)) + "]");
        }
    }

    private static string[] Select(string document, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(document);
        return [.. GjsonQuery.FindTargets(bytes, path).Select(t => Encoding.UTF8.GetString(bytes, t.Start, t.Length))];
    }
}
