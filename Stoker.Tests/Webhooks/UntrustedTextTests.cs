using Stoker.Silo.Webhooks;

namespace Stoker.Tests.Webhooks;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("main", "main")]
    [InlineData("main\nfail: Forged", "main\\nfail: Forged")]
    [InlineData("a\r\tb", "a\\r\\tb")]
    [InlineData("a\u0000b\u001bc\u007fd", "a\\u0000b\\u001bc\\u007fd")]
    [InlineData("a\u2028b", "a\\u2028b")]
    [InlineData("back\\slash\\n", "back\\\\slash\\\\n")]
    [InlineData("ünïcödé/€", "ünïcödé/€")]
    [InlineData(null, "")]
    public void Sanitize_ControlCharactersEscaped(string? value, string expected) => Assert.Equal(expected, UntrustedText.Sanitize(value));

    [Fact]
    public void Sanitize_LongValue_CutWithTheRestCounted()
    {
        var sanitized = UntrustedText.Sanitize(new string('r', 500 * 1024));

        Assert.StartsWith(new string('r', UntrustedText.MaxChars), sanitized, StringComparison.Ordinal);
        Assert.EndsWith($"…({(500 * 1024) - UntrustedText.MaxChars} more characters)", sanitized, StringComparison.Ordinal);
        Assert.True(sanitized.Length < UntrustedText.MaxChars + 40);
    }
}
