using Stoker.Templating;

namespace Stoker.Tests.Conformance;

// How Go's exec tests judge a case: an expected failure may come from parsing or executing (Go's table only
// says that Execute fails), but never as any other exception, which would be a crash on user input.
internal static class GoTemplateRun
{
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
}
