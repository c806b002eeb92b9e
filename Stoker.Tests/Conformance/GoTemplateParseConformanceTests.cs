using Stoker.Templating;

namespace Stoker.Tests.Conformance;

// Go's text/template/parse parseTests table (Fixtures/Conformance/go-text-template-parse.json): our parser
// accepts exactly the inputs Go accepts.
public sealed class GoTemplateParseConformanceTests
{
    private const string Table = "go-text-template-parse.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    public static TheoryData<string> SkippedNames => ConformanceTable.Names(Table, skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Parse_AcceptsExactlyWhatGoAccepts(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        var input = (string)c["input"]!;

        if ((bool)c["ok"]!)
        {
            GoTemplate.Parse(input, "test");
        }
        else
        {
            Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(input, "test"));
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
