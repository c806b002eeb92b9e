using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Tests.Resources;

/// <summary>Go <c>time.ParseDuration</c> and <c>Duration.String()</c>, at .NET's 100 ns resolution.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("300ms", 3_000_000L)]
    [InlineData("45s", 450_000_000L)]
    [InlineData("5m", 3_000_000_000L)]
    [InlineData("1h", 36_000_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("2h45m30.5s", 99_305_000_000L)]
    [InlineData("-1.5h", -54_000_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("1.s", 10_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("+2m", 1_200_000_000L)]
    [InlineData("-30s", -300_000_000L)]
    [InlineData("1us", 10L)]
    [InlineData("1µs", 10L)]
    [InlineData("1μs", 10L)]
    [InlineData("100ns", 1L)]
    [InlineData("1ms500us", 15_000L)]
    [InlineData("1m1m", 1_200_000_000L)]
    [InlineData("60s", 600_000_000L)]
    [InlineData("1000h", 36_000_000_000_000L)]
    public void TryParse_GoDuration_Parses(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("5")]
    [InlineData("60")]
    [InlineData("5 minutes")]
    [InlineData("5m ")]
    [InlineData(" 5m")]
    [InlineData("1h 30m")]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("1S")]
    [InlineData("1H")]
    [InlineData("1d")]
    [InlineData(".s")]
    [InlineData(".")]
    [InlineData("s")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("--5s")]
    [InlineData("1.2.3s")]
    [InlineData("1e3s")]
    [InlineData("5m-3s")]
    [InlineData("3000000h")]
    public void TryParse_NotAGoDuration_Fails(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Theory]
    [InlineData(300_000_000L, "30s")]
    [InlineData(600_000_000L, "1m0s")]
    [InlineData(1_200_000_000L, "2m0s")]
    [InlineData(2_400_000_000L, "4m0s")]
    [InlineData(3_000_000_000L, "5m0s")]
    [InlineData(36_000_000_000L, "1h0m0s")]
    [InlineData(54_000_000_000L, "1h30m0s")]
    [InlineData(36_610_000_000L, "1h1m1s")]
    [InlineData(900_000_000_000L, "25h0m0s")]
    [InlineData(15_000_000L, "1.5s")]
    [InlineData(905_000_000L, "1m30.5s")]
    [InlineData(5_000_000L, "500ms")]
    [InlineData(15_000L, "1.5ms")]
    [InlineData(10L, "1µs")]
    [InlineData(15L, "1.5µs")]
    [InlineData(1L, "100ns")]
    [InlineData(0L, "0s")]
    [InlineData(-15_000_000L, "-1.5s")]
    [InlineData(-600_000_000L, "-1m0s")]
    [InlineData(-5_000_000L, "-500ms")]
    public void Format_Duration_AsGoDurationString(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData("1h30m0s")]
    [InlineData("30s")]
    [InlineData("2m0s")]
    [InlineData("1.5s")]
    [InlineData("500ms")]
    [InlineData("1µs")]
    [InlineData("-2h0m0.5s")]
    public void Format_ParsedCanonicalText_RoundTrips(string text)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(text, GoDuration.Format(duration));
    }
}
