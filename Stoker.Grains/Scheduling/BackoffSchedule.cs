namespace Stoker.Grains.Scheduling;

/// <summary>Delay before retrying after consecutive failures (control-plane §6): 30 s doubling, capped at 5 min, no jitter.</summary>
public static class BackoffSchedule
{
    public static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

    /// <param name="failures">Consecutive failures including the one just counted; at least 1.</param>
    public static TimeSpan Delay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);

        // 30 s × 2^4 already exceeds the cap; stopping the doubling there keeps large counts from overflowing.
        var doublings = Math.Min(failures - 1, 4);
        var delay = Base * (1 << doublings);
        return delay < Cap ? delay : Cap;
    }
}
