using System.Text.RegularExpressions;
using Stoker.Templating;

namespace Stoker.Tests.Conformance;

// How Go's exec tests judge a case: an expected failure may come from parsing or executing (Go's table only
// says that Execute fails), but never as any other exception, which would be a crash on user input.
internal static partial class GoTemplateRun
{
    // The parse error a skipped case must get when its reason says the renderer refuses it, or null when the
    // reason is about the data (those cases are not run at all).
    public static string? Refusal(string skipReason)
    {
        if (skipReason.StartsWith("call:", StringComparison.Ordinal))
        {
            return "function \"call\" is not supported";
        }

        if (FunctionReason().Match(skipReason) is { Success: true } function)
        {
            return "function \"" + function.Groups[1].Value + "\" not defined";
        }

        return ComplexLiteralReason().IsMatch(skipReason) ? "complex constants are not supported" : null;
    }

    public static void AssertRefused(string input, string refusal)
    {
        var error = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(input, "test"));
        Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
    }

    public static void AssertMatchesGo(string input, object? data, bool ok, string expected)
    {
        if (ok)
        {
            Assert.Equal(expected, GoTemplate.Parse(input, "test").Render(data));
            return;
        }

        var error = Record.Exception(() => GoTemplate.Parse(input, "test").Render(data));
        Assert.NotNull(error);
        Assert.True(
            error is TemplateParseException or TemplateExecutionException,
            $"expected a template error, got {error.GetType().Name}: {error.Message}");
    }

    [GeneratedRegex("^function: needs the test's own FuncMap function '(\\w+)'")]
    private static partial Regex FunctionReason();

    [GeneratedRegex(@"^complex: a complex constant or value \([-+0-9.]+i\)")]
    private static partial Regex ComplexLiteralReason();
}
