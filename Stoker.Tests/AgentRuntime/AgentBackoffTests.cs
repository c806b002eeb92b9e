using Stoker.AgentClient.Runtime;

namespace Stoker.Tests.AgentRuntime;

/// <summary>The agent's one backoff policy: the documented schedules, and the waits happen on the given clock.</summary>
public sealed class AgentBackoffTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string, int[]> Schedules => new()
    {
        // docs/standalone-agent.md: connecting waits 2, 4, 8, 16, then 30 s; registering 1 s doubling to 30 s;
        // a failed fetch or sync 30 s, doubling, up to 5 minutes.
        { nameof(AgentBackoff.ControlPlaneConnect), [2, 4, 8, 16, 30, 30, 30] },
        { nameof(AgentBackoff.Registration), [1, 2, 4, 8, 16, 30, 30] },
        { nameof(AgentBackoff.FailedSync), [30, 60, 120, 240, 300, 300, 300] },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Delay_ConsecutiveFailures_FollowTheDocumentedSchedule(string preset, int[] seconds)
    {
        var backoff = Preset(preset);

        var delays = Enumerable.Range(1, seconds.Length).Select(failures => backoff.Delay(failures).TotalSeconds);

        Assert.Equal(seconds.Select(s => (double)s), delays);
    }

    [Fact]
    public void Delay_EndlessFailures_StaysAtTheCap()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), AgentBackoff.FailedSync.Delay(int.MaxValue));
    }

    [Fact]
    public void Delay_ZeroFailures_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AgentBackoff.Registration.Delay(0));
    }

    [Fact]
    public void Constructor_CapBelowFirstWait_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RetryUntilTrue_FailingAttempts_WaitTheScheduleOnTheGivenClock()
    {
        var time = new TimerRecordingTimeProvider();
        var attempts = new List<DateTimeOffset>();
        var pipeline = AgentBackoff.Registration.RetryUntilTrue(time);

        var run = pipeline.ExecuteAsync(_ =>
        {
            attempts.Add(time.GetUtcNow());
            return ValueTask.FromResult(attempts.Count == 8);
        }).AsTask();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            var wait = await time.NextTimerAsync(Patience);
            waits.Add(wait);
            Assert.False(run.IsCompleted);
            time.Clock.Advance(wait);
        }

        Assert.True(await run.WaitAsync(Patience));
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], waits.Select(w => w.TotalSeconds));
        Assert.Equal(waits, attempts.Zip(attempts.Skip(1), (a, b) => b - a));
    }

    [Fact]
    public async Task RetryUntilTrue_CancelledWhileWaiting_StopsWithoutAnotherAttempt()
    {
        var time = new TimerRecordingTimeProvider();
        var attempts = 0;
        using var stop = new CancellationTokenSource();
        var pipeline = AgentBackoff.Registration.RetryUntilTrue(time);

        var run = pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(false);
        }, stop.Token).AsTask();
        await time.NextTimerAsync(Patience);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ControlPlaneConnectionRetry_EachFailure_SaysSoAndWaitsTheSchedule()
    {
        var time = new TimerRecordingTimeProvider();
        using var output = new StringWriter();
        var retry = new ControlPlaneConnectionRetry(time) { Output = output };

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var decision = retry.ShouldRetryConnectionAttempt(new TimeoutException("no silo"), CancellationToken.None);
            var wait = await time.NextTimerAsync(Patience);
            waits.Add(wait);
            time.Clock.Advance(wait);
            Assert.True(await decision.WaitAsync(Patience));
        }

        Assert.Equal([2, 4, 8, 16, 30, 30], waits.Select(w => w.TotalSeconds));
        Assert.Contains("stoker-agent: cannot reach the control plane yet (attempt 1: TimeoutException: no silo); retrying in 2 s", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("(attempt 6: TimeoutException: no silo); retrying in 30 s", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlPlaneConnectionRetry_ClientStopping_GivesUp()
    {
        var time = new TimerRecordingTimeProvider();
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var retry = new ControlPlaneConnectionRetry(time) { Output = output };

        var decision = retry.ShouldRetryConnectionAttempt(new TimeoutException("no silo"), stop.Token);
        await time.NextTimerAsync(Patience);
        await stop.CancelAsync();

        Assert.False(await decision.WaitAsync(Patience));
    }

    private static AgentBackoff Preset(string name) => name switch
    {
        nameof(AgentBackoff.ControlPlaneConnect) => AgentBackoff.ControlPlaneConnect,
        nameof(AgentBackoff.Registration) => AgentBackoff.Registration,
        nameof(AgentBackoff.FailedSync) => AgentBackoff.FailedSync,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such preset"),
    };
}
