using Stoker.Templating;
using Xunit.Abstractions;

namespace Stoker.Tests.Conformance;

// Go's text/template execTests table (Fixtures/Conformance/go-text-template-exec.json) rendered by our renderer:
// the same output, or an error where Go gives one.
public sealed class GoTemplateExecConformanceTests(ITestOutputHelper output)
{
    private const string Table = "go-text-template-exec.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    public static TheoryData<string> SkippedNames => ConformanceTable.Names(Table, skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Render_MatchesGo(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        GoTemplateRun.AssertMatchesGo(
            (string)c["input"]!, GoTestValues.Data((string)c["data"]!), (bool)c["ok"]!, (string)c["output"]!);
    }

    // Cases left out are listed in the table with the reason; they are not run.
    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_HasAReason(string name)
    {
        Assert.False(string.IsNullOrWhiteSpace((string)ConformanceTable.Case(Table, name)["skip"]!));
    }

    [Fact]
    public void Table_CountsRunAndSkippedByReason()
    {
        output.WriteLine(ConformanceTable.Summary(Table));
        Assert.NotEmpty(CaseNames);
    }
}
