using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Stoker.Tests.AgentRuntime;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it (its due time), so that a test can wait
/// for a backoff's wait to begin and then advance the clock by exactly that much: no race with the code under test,
/// no sleeps.
/// </summary>
internal sealed class TimerRecordingTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    public override long GetTimestamp() => Clock.GetTimestamp();

    public override long TimestampFrequency => Clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Clock.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created, waiting (at most <paramref name="timeout"/> of real time) until there is one.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _created.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no timer was created within {timeout.TotalSeconds} s");
        }
    }
}
