using System.Globalization;
using Stoker.Templating;
using Stoker.Templating.Parsing;
using Xunit.Abstractions;

namespace Stoker.Tests.Conformance;

// Go's text/template/parse numberTests table (Fixtures/Conformance/go-text-template-numbers.json): a number or
// character constant is read with the same int/uint/float interpretations and values as Go's parser, and
// malformed ones are refused.
public sealed class GoNumberLiteralConformanceTests(ITestOutputHelper output)
{
    private const string Table = "go-text-template-numbers.json";

    public static TheoryData<string> CaseNames => ConformanceTable.Names(Table, skipped: false);

    public static TheoryData<string> SkippedNames => ConformanceTable.Names(Table, skipped: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReadNumber_MatchesGo(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        var text = (string)c["text"]!;
        var node = new NumberNode(0, text);
        var error = GoLiterals.ReadNumber(node, text.StartsWith('\'') ? TokenKind.CharConstant : TokenKind.Number);

        if (!(bool)c["ok"]!)
        {
            Assert.NotNull(error);
            return;
        }

        Assert.Null(error);
        Assert.Equal(
            ((bool)c["isInt"]!, (bool)c["isUint"]!, (bool)c["isFloat"]!),
            (node.IsInt, node.IsUint, node.IsFloat));
        if (node.IsInt)
        {
            Assert.Equal((long)c["int64"]!, node.Int64);
        }

        if (node.IsUint)
        {
            Assert.Equal(ulong.Parse(c["uint64"]!.ToJsonString(), CultureInfo.InvariantCulture), node.Uint64);
        }

        if (node.IsFloat)
        {
            Assert.Equal((double)c["float64"]!, node.Float64);
        }
    }

    // Through the lexer too: Go's parser reads each text as one constant in an action, or refuses it.
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Parse_InAnAction_AcceptsExactlyWhatGoAccepts(string name)
    {
        var c = ConformanceTable.Case(Table, name);
        var action = "{{print " + (string)c["text"]! + "}}";

        if ((bool)c["ok"]!)
        {
            GoTemplate.Parse(action, "test");
        }
        else
        {
            Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(action, "test"));
        }
    }

    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_HasAReason(string name)
    {
        Assert.False(string.IsNullOrWhiteSpace((string)ConformanceTable.Case(Table, name)["skip"]!));
    }

    // Each skipped text is a complex constant, which the renderer refuses with the documented error.
    [Theory]
    [MemberData(nameof(SkippedNames))]
    public void Skipped_ComplexConstant_IsRefused(string name)
    {
        var text = (string)ConformanceTable.Case(Table, name)["text"]!;
        Assert.StartsWith(
            "complex constants are not supported", GoLiterals.ReadNumber(new NumberNode(0, text), TokenKind.Number), StringComparison.Ordinal);
        GoTemplateRun.AssertRefused("{{print " + text + "}}", "complex constants are not supported");
    }

    [Fact]
    public void Table_CountsRunAndSkippedByReason()
    {
        output.WriteLine(ConformanceTable.Summary(Table));
        Assert.NotEmpty(CaseNames);
    }
}
