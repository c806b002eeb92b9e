using Stoker.Templating;
using Xunit.Abstractions;

namespace Stoker.Tests.Conformance;

// Go's text/template execTests table rendered by our renderer: the same output, or an error where Go gives one.
// go-text-template-exec.json holds the table at one commit, go-text-template-exec-additions.json the entries a
// later commit added.
public sealed class GoTemplateExecConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] Tables = ["go-text-template-exec.json", "go-text-template-exec-additions.json"];

    public static TheoryData<string, string> CaseNames => Names(skipped: false);

    public static TheoryData<string, string> SkippedNames => Names(skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Render_MatchesGo(string table, string name)
    {
        var c = ConformanceTable.Case(table, name);
        GoTemplateRun.AssertMatchesGo(
            (string)c["input"]!, GoTestValues.Data((string)c["data"]!), (bool)c["ok"]!, (string)c["output"]!);
    }

    // Cases left out are listed in the table with the reason; they are not run.
    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_HasAReason(string table, string name)
    {
        Assert.False(string.IsNullOrWhiteSpace((string)ConformanceTable.Case(table, name)["skip"]!));
    }

    // A skipped case fails the way its reason says: a refused construct with the documented parse error, a
    // missing key with missingkey=error's error, a method with an error naming it.
    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_FailsAsItsReasonSays(string table, string name)
    {
        var c = ConformanceTable.Case(table, name);
        var skip = (string)c["skip"]!;
        var data = (string)c["data"]!;
        if (GoTemplateRun.Refusal(skip) is { } refusal)
        {
            GoTemplateRun.AssertRefused((string)c["input"]!, refusal);
        }
        else if (GoTemplateRun.ExecutionFailure(skip, data) is { } failure)
        {
            GoTemplateRun.AssertExecutionFails((string)c["input"]!, GoTestValues.Data(data), failure);
        }
    }

    [Fact]
    public void Table_CountsRunAndSkippedByReason()
    {
        foreach (var table in Tables)
        {
            output.WriteLine(ConformanceTable.Summary(table));
        }

        Assert.NotEmpty(CaseNames);
    }

    private static TheoryData<string, string> Names(bool skipped)
    {
        var data = new TheoryData<string, string>();
        foreach (var table in Tables)
        {
            foreach (var c in ConformanceTable.Cases(table).Where(c => c["skip"] is not null == skipped))
            {
                data.Add(table, (string)c["name"]!);
            }
        }

        return data;
    }
}
