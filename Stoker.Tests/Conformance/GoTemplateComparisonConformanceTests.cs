using Xunit.Abstractions;

namespace Stoker.Tests.Conformance;

// Go's text/template cmpTests table (Fixtures/Conformance/go-text-template-comparison.json): eq, ne, lt, le,
// gt, ge decide as Go does, across signed and unsigned integers, and fail on values of different kinds.
public sealed class GoTemplateComparisonConformanceTests(ITestOutputHelper output)
{
    private const string Table = "go-text-template-comparison.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    public static TheoryData<string> SkippedNames => ConformanceTable.Names(Table, skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Compare_MatchesGo(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        GoTemplateRun.AssertMatchesGo(
            (string)c["input"]!, GoTestValues.ComparisonData(), (bool)c["ok"]!, (string)c["output"]!);
    }

    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_HasAReason(string name)
    {
        Assert.False(string.IsNullOrWhiteSpace((string)ConformanceTable.Case(Table, name)["skip"]!));
    }

    // A case skipped for a complex constant is refused with the documented error.
    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_RefusedConstruct_FailsWithTheDocumentedError(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        if (GoTemplateRun.Refusal((string)c["skip"]!) is { } refusal)
        {
            GoTemplateRun.AssertRefused((string)c["input"]!, refusal);
        }
    }

    [Fact]
    public void Table_CountsRunAndSkippedByReason()
    {
        output.WriteLine(ConformanceTable.Summary(Table));
        Assert.NotEmpty(CaseNames);
    }
}
