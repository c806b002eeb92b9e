using System.Text;
using Stoker.Sync.Patching;

namespace Stoker.Tests.Conformance;

// tidwall/sjson v1.2.5's own test table (Fixtures/Conformance/sjson-v1.2.5.json) run through our patcher.
public sealed class SjsonConformanceTests
{
    private const string Table = "sjson-v1.2.5.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    public static TheoryData<string> SkippedNames => ConformanceTable.Names(Table, skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void SetRaw_MatchesSjson(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        var result = JsonPatcher.SetRaw((string)c["json"]!, (string)c["path"]!, (string)c["literal"]!);

        if (c["check"] is { } check)
        {
            var targets = GjsonQuery.FindTargets(Encoding.UTF8.GetBytes(result), (string)check["path"]!);
            var bytes = Encoding.UTF8.GetBytes(result);
            var raws = targets.Select(t => Encoding.UTF8.GetString(bytes, t.Start, t.Length)).ToArray();
            Assert.Equal(check["raws"]!.AsArray().Select(r => (string)r!).ToArray(), raws);
        }
        else if (c["exact"] is not null)
        {
            Assert.Equal((string)c["expect"]!, result);
        }
        else
        {
            Assert.Equal(ConformanceTable.Canonical((string)c["expect"]!), ConformanceTable.Canonical(result));
        }
    }

    // Cases left out are listed in the table with the reason; they are not run.
    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_HasAReason(string name)
    {
        Assert.False(string.IsNullOrWhiteSpace((string)ConformanceTable.Case(Table, name)["skip"]!));
    }
}
