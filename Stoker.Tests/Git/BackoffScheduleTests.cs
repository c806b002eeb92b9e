using Stoker.Grains.Scheduling;

namespace Stoker.Tests.Git;

public sealed class BackoffScheduleTests
{
    [Fact]
    public void Delay_ConsecutiveFailures_Doubles30sUpToFiveMinutes()
    {
        var delays = Enumerable.Range(1, 7).Select(BackoffSchedule.Delay).Select(d => d.TotalSeconds);

        Assert.Equal([30, 60, 120, 240, 300, 300, 300], delays);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(64)]
    [InlineData(int.MaxValue)]
    public void Delay_ManyFailures_IsExactlyTheCap(int failures) =>
        Assert.Equal(TimeSpan.FromMinutes(5), BackoffSchedule.Delay(failures));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Delay_LessThanOneFailure_ThrowsNamingTheArgument(int failures)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BackoffSchedule.Delay(failures));

        Assert.Equal("failures", error.ParamName);
    }
}
