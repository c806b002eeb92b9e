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

    // The text the execution error of a skipped case must hold when its reason says the renderer behaves
    // otherwise than Go's test setup: missingkey=error's message, or the name of the method the data has not got;
    // null when there is nothing to run it against.
    public static string? ExecutionFailure(string skipReason, string goData)
    {
        if (skipReason.StartsWith("missingkey:", StringComparison.Ordinal))
        {
            return "no entry for key";
        }

        return goData == "tVal" && MethodReason().Match(skipReason) is { Success: true } method
            ? method.Groups[1].Value + method.Groups[2].Value
            : null;
    }

    public static void AssertExecutionFails(string input, object? data, string failure)
    {
        var error = Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse(input, "test").Render(data));
        Assert.Contains(failure, error.Message, StringComparison.Ordinal);
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

    [GeneratedRegex(@"^method: (?:calls the Go method (\w+)|prints \.(\w+))")]
    private static partial Regex MethodReason();
}
