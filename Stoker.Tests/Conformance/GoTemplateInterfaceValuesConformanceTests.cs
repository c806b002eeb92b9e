using Stoker.Templating;
using Xunit.Abstractions;

namespace Stoker.Tests.Conformance;

// Go's TestInterfaceValues table (Fixtures/Conformance/go-text-template-interface-values.json): index, and, or,
// not and the comparisons on values read out of a map of interface values, as Go renders them.
public sealed class GoTemplateInterfaceValuesConformanceTests(ITestOutputHelper output)
{
    private const string Table = "go-text-template-interface-values.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    public static TheoryData<string> SkippedNames => ConformanceTable.Names(Table, skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Render_MatchesGo(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        var input = (string)c["input"]!;
        if ((bool)c["ok"]!)
        {
            Assert.Equal((string)c["output"]!, GoTemplate.Parse(input, "test").Render(GoTestValues.InterfaceValuesData()));
            return;
        }

        var error = Assert.Throws<TemplateExecutionException>(
            () => GoTemplate.Parse(input, "test").Render(GoTestValues.InterfaceValuesData()));
        Assert.Contains((string)c["error"]!, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_RefusedConstruct_FailsWithTheDocumentedError(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        GoTemplateRun.AssertRefused((string)c["input"]!, GoTemplateRun.Refusal((string)c["skip"]!)!);
    }

    [Fact]
    public void Table_CountsRunAndSkippedByReason()
    {
        output.WriteLine(ConformanceTable.Summary(Table));
        Assert.NotEmpty(CaseNames);
    }
}
