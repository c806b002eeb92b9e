namespace Stoker.Tests.Infrastructure;

public sealed class EventuallyTests
{
    [Fact]
    public async Task Until_ConditionBecomesTrue_ReturnsThatValue()
    {
        var calls = 0;

        var value = await Eventually.Until(() => Task.FromResult(++calls), n => n >= 3, TimeSpan.FromSeconds(5), "three calls");

        Assert.Equal(3, value);
    }

    [Fact]
    public async Task Until_ConditionNeverTrue_ThrowsTimeoutNamingWhatAndLastValue()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Until(() => Task.FromResult("still red"), s => s == "green", TimeSpan.FromMilliseconds(200), "the light"));

        Assert.Contains("the light", error.Message, StringComparison.Ordinal);
        Assert.Contains("still red", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Until_ProbeThrowsThenSucceeds_KeepsPolling()
    {
        var calls = 0;

        var value = await Eventually.Until(
            () => ++calls < 3 ? throw new IOException("not yet") : Task.FromResult(calls),
            _ => true, TimeSpan.FromSeconds(5), "a probe that recovers");

        Assert.Equal(3, value);
    }
}
