namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// Everything that makes a GatewaySync grain act later, in one place: the poll (a persistent reminder, plus a grain
/// timer for intervals shorter than the reminder minimum), the retry after a failure (a persistent reminder), a
/// reconcile soon in its own turn (webhooks, applies, new ref overrides; bursts coalesce) and the batched status
/// write (docs/architecture.md, "The control plane").
/// </summary>
public sealed class GatewaySyncSchedule(
    Grain grain,
    Func<GatewaySyncState> state,
    TimeSpan minimumReminderPeriod,
    TimeProvider time,
    Func<string, Task> reconcile,
    Func<Task> flush)
{
    public const string PollReminder = "poll";
    public const string RetryReminder = "retry";

    /// <summary>How long summaries are gathered before the status is aggregated and written once.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(100);

    private IGrainTimer? _pollTimer;
    private IGrainTimer? _reconcileSoon;
    private IGrainTimer? _flushTimer;
    private TimeSpan? _pollInterval;
    private bool _pollScheduleKnown;

    private GatewaySyncState S => state();

    /// <summary>Runs a reconcile in its own turn soon, so the caller is answered at once; bursts coalesce.</summary>
    public void ReconcileSoon(string reason) =>
        _reconcileSoon ??= grain.RegisterGrainTimer(
            async _ =>
            {
                var timer = _reconcileSoon;
                _reconcileSoon = null;
                await reconcile(reason);
                timer?.Dispose();
            },
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });

    /// <summary>
    /// Asks for the status to be aggregated and written shortly, once for everything that arrived meanwhile: with
    /// thousands of gateways, a write per summary would make the grain the bottleneck. A crash inside the window
    /// loses nothing that Gateway grains do not send again.
    /// </summary>
    public void FlushSoon() =>
        _flushTimer ??= grain.RegisterGrainTimer(
            async _ =>
            {
                // Disposing the timer cancels its token, so the write must not take that token.
                var timer = _flushTimer;
                _flushTimer = null;
                await flush();
                timer?.Dispose();
            },
            new GrainTimerCreationOptions { DueTime = FlushDelay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });

    /// <summary>Cancels a pending batched write; true when there was one (the caller writes now instead).</summary>
    public bool CancelPendingFlush()
    {
        if (_flushTimer is null)
        {
            return false;
        }

        _flushTimer.Dispose();
        _flushTimer = null;
        return true;
    }

    /// <summary>The poll reminder fired: a short interval's timer comes back with the grain.</summary>
    public void OnPollReminder()
    {
        if (_pollInterval is { } period && period < minimumReminderPeriod)
        {
            EnsurePollTimer(period);
        }
    }

    /// <summary>Polls every <paramref name="interval"/>, or not at all when null; a repeated call with the same interval does nothing.</summary>
    public async Task SchedulePollingAsync(TimeSpan? interval)
    {
        if (_pollScheduleKnown && interval == _pollInterval)
        {
            return;
        }

        _pollInterval = interval;
        _pollScheduleKnown = true;
        _pollTimer?.Dispose();
        _pollTimer = null;
        if (interval is not { } period)
        {
            await UnregisterAsync(PollReminder);
            S.PollReminderPeriod = null;
            return;
        }

        // Reminders are persistent but no shorter than a minute: a shorter interval runs on a grain timer
        // while the grain is active, and the minute reminder brings the grain (and its timer) back.
        var reminderPeriod = period < minimumReminderPeriod ? minimumReminderPeriod : period;
        var existing = await grain.GetReminder(PollReminder);
        if (existing is null || S.PollReminderPeriod != reminderPeriod)
        {
            await grain.RegisterOrUpdateReminder(PollReminder, reminderPeriod, reminderPeriod);
            S.PollReminderPeriod = reminderPeriod;
        }

        if (period < minimumReminderPeriod)
        {
            EnsurePollTimer(period);
        }
    }

    /// <summary>Retries after <paramref name="delay"/>, or cancels a pending retry when null.</summary>
    public async Task ScheduleRetryAsync(TimeSpan? delay)
    {
        if (delay is { } due)
        {
            S.NextRetryAt = time.GetUtcNow() + due;
            await grain.RegisterOrUpdateReminder(RetryReminder, due, due < minimumReminderPeriod ? minimumReminderPeriod : due);
        }
        else if (S.NextRetryAt is not null)
        {
            S.NextRetryAt = null;
            await UnregisterAsync(RetryReminder);
        }
    }

    /// <summary>Stops everything (the resource was deleted).</summary>
    public async Task StopAsync()
    {
        await UnregisterAsync(PollReminder);
        await UnregisterAsync(RetryReminder);
        _pollTimer?.Dispose();
        _reconcileSoon?.Dispose();
        _flushTimer?.Dispose();
        (_pollTimer, _reconcileSoon, _flushTimer) = (null, null, null);
    }

    /// <summary>Removes a reminder if it exists (one left by a deleted resource, say).</summary>
    public async Task UnregisterAsync(string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    private void EnsurePollTimer(TimeSpan period) =>
        _pollTimer ??= grain.RegisterGrainTimer(_ => reconcile("poll"), new GrainTimerCreationOptions { DueTime = period, Period = period });
}
