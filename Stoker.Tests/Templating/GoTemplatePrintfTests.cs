namespace Stoker.Tests.Templating;

public sealed class GoTemplatePrintfTests
{
    [Theory]
    [InlineData("{{printf \"%s\" \"x\"}}", "x")]
    [InlineData("{{printf \"%d\" 42}}", "42")]
    [InlineData("{{printf \"%05d\" 42}}", "00042")]
    [InlineData("{{printf \"%05d\" -42}}", "-0042")]
    [InlineData("{{printf \"%+d\" 5}}", "+5")]
    [InlineData("{{printf \"%-5s|\" \"ab\"}}", "ab   |")]
    [InlineData("{{printf \"%5s|\" \"ab\"}}", "   ab|")]
    [InlineData("{{printf \"%5t|\" true}}", " true|")]
    [InlineData("{{printf \"%.3s\" \"abcdef\"}}", "abc")]
    [InlineData("{{printf \"%q\" \"a\\\"b\"}}", "\"a\\\"b\"")]
    [InlineData("{{printf \"%q\" \"é\\n\"}}", "\"é\\n\"")]
    [InlineData("{{printf \"%+q\" \"é\"}}", "\"\\u00e9\"")]
    [InlineData("{{printf \"%x %X %#x %x\" 255 \"hi\" 255 -255}}", "ff 6869 0xff -ff")]
    [InlineData("{{printf \"%o %b\" 8 5}}", "10 101")]
    [InlineData("{{printf \"%q %c %U\" 65 65 65}}", "'A' A U+0041")]
    [InlineData("{{printf \"%f\" 3.14159}}", "3.141590")]
    [InlineData("{{printf \"%.2f\" 3.14159}}", "3.14")]
    [InlineData("{{printf \"%6.2f|\" 3.14159}}", "  3.14|")]
    [InlineData("{{printf \"%08.3f\" -3.14159}}", "-003.142")]
    [InlineData("{{printf \"%.0f %.0f %.1f %5.1f|\" 2.5 3.5 0.25 2.25}}", "2 4 0.2   2.2|")]
    [InlineData("{{printf \"%e\" 1234.5678}}", "1.234568e+03")]
    [InlineData("{{printf \"%g %g\" 0.000012 100000.0}}", "1.2e-05 100000")]
    [InlineData("{{printf \"%v %v %v %v\" 1e6 123456.0 1.5 100000000.0}}", "1e+06 123456 1.5 1e+08")]
    [InlineData("{{printf \"%t %v\" true false}}", "true false")]
    [InlineData("{{printf \"100%%\"}}", "100%")]
    [InlineData("{{printf \"%[2]s-%[1]s\" \"a\" \"b\"}}", "b-a")]
    [InlineData("{{printf \"%*d|\" 4 7}}", "   7|")]
    [InlineData("{{printf \"%T %T %T\" .PodOrdinal .Vars .GatewayName}}", "int map[string]string string")]
    [InlineData("{{printf \"%v\" .Vars}}", "map[env:prod siteCode:EAST]")]
    [InlineData("{{printf \"%s-%02d\" .Vars.siteCode .PodOrdinal}}", "EAST-00")]
    public void Printf_Verbs_FormatLikeGo(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Theory]
    [InlineData("{{printf \"%d\" \"x\"}}", "%!d(string=x)")]
    [InlineData("{{printf \"%s\" 5}}", "%!s(int=5)")]
    [InlineData("{{printf \"%d\" nil}}", "%!d(<nil>)")]
    [InlineData("{{printf \"%z\" 1}}", "%!z(int=1)")]
    [InlineData("{{printf \"%s %s\" \"a\"}}", "a %!s(MISSING)")]
    [InlineData("{{printf \"%s\" \"a\" \"b\"}}", "a%!(EXTRA string=b)")]
    [InlineData("{{printf \"%[3]s\" \"a\"}}", "%!s(BADINDEX)")]
    [InlineData("{{printf \"x%\"}}", "x%!(NOVERB)")]
    public void Printf_BadVerbsAndArguments_WriteGoMarkers(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Theory]
    [InlineData("{{printf \"%v\" .Nums}}", "[1 2 3 4 5]")]
    [InlineData("{{printf \"%03d\" .Nums}}", "[001 002 003 004 005]")]
    [InlineData("{{printf \"%s\" .Items}}", "[a b]")]
    [InlineData("{{printf \"%d\" .Items}}", "[%!d(string=a) %!d(string=b)]")]
    [InlineData("{{printf \"%v\" .Labels}}", "map[a:1 b:2]")]
    [InlineData("{{printf \"%v|%s\" .Nothing .Nothing}}", "<nil>|%!s(<nil>)")]
    public void Printf_Collections_FormatElementwise(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Collections()));
    }
}
