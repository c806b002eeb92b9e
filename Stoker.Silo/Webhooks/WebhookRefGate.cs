using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// Rate limit per GatewaySync with trailing-edge coalescing: at most <c>PermitLimit</c> ref requests per fixed
/// window are passed to the grain; a refused request is held if it is the newest so far (replacing any older held
/// one) and passed on when the window opens, so a storm of pushes never loses the last one.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Threading.RateLimiting: those limiters read their own clock and replenish on their
/// own timer, while here the window, the <c>Retry-After</c> answer and the held request's delivery must agree on one
/// <see cref="TimeProvider"/> (and tests drive it with a fake clock). The counting itself is a few lines.
/// </remarks>
public sealed partial class WebhookRefGate : IDisposable
{
    private const int SweepThreshold = 1024;

    private readonly ConcurrentDictionary<string, WebhookLane> _lanes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookRefGate> _logger;
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private long _lastSweep;
    private bool _disposed;

    public WebhookRefGate(TimeProvider time, IOptions<WebhookReceiverOptions> options, ILogger<WebhookRefGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        _permitLimit = options.Value.RateLimit.PermitLimit;
        _window = options.Value.RateLimit.Window;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>How many GatewaySyncs the gate currently tracks (idle ones are swept once there are many).</summary>
    public int LaneCount => _lanes.Count;

    /// <summary>
    /// Passes <paramref name="request"/> for the GatewaySync <paramref name="key"/> to <paramref name="deliver"/> now,
    /// or holds it until the window opens and answers how long that is.
    /// </summary>
    public async Task<WebhookGateResult> SubmitAsync(string key, RefRequest request, Func<RefRequest, Task<RefRequestOutcome>> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        SweepIdleLanes();
        while (true)
        {
            var lane = _lanes.GetOrAdd(key, static _ => new WebhookLane());
            long sequence;
            lock (lane.Sync)
            {
                if (lane.Retired)
                {
                    continue;
                }

                sequence = ++lane.NextSequence;
                if (!TryTakePermit(lane, out var retryAfter))
                {
                    lane.Pending = new PendingRefRequest(sequence, request, deliver);
                    lane.Trailing ??= StartTrailingTimer(key, lane, retryAfter);
                    LogHeld(_logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(request.Ref), retryAfter);
                    return WebhookGateResult.Limited(retryAfter);
                }

                // This request is newer than anything held: the held one is superseded.
                lane.Pending = null;
            }

            return await DeliverAsync(lane, sequence, request, deliver).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var lane in _lanes.Values)
        {
            lock (lane.Sync)
            {
                lane.Trailing?.Dispose();
                lane.Trailing = null;
                if (lane.Pending is { } pending)
                {
                    LogDroppedAtShutdown(_logger, UntrustedText.Sanitize(pending.Request.Ref));
                    lane.Pending = null;
                }
            }
        }
    }

    private bool TryTakePermit(WebhookLane lane, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        if (!lane.HasWindow || _time.GetElapsedTime(lane.WindowStart, now) >= _window)
        {
            lane.HasWindow = true;
            lane.WindowStart = now;
            lane.Used = 0;
        }

        if (lane.Used < _permitLimit)
        {
            lane.Used++;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = _window - _time.GetElapsedTime(lane.WindowStart, now);
        return false;
    }

    private void OnTrailingEdge(string key, WebhookLane lane)
    {
        PendingRefRequest pending;
        lock (lane.Sync)
        {
            lane.Trailing?.Dispose();
            lane.Trailing = null;
            if (_disposed || lane.Pending is null)
            {
                return;
            }

            if (!TryTakePermit(lane, out var retryAfter))
            {
                // The timer fired a moment before the window's end by this clock: wait out the rest.
                lane.Trailing = StartTrailingTimer(key, lane, retryAfter);
                return;
            }

            pending = lane.Pending;
            lane.Pending = null;
        }

        _ = DeliverHeldAsync(key, lane, pending);
    }

    private async Task DeliverHeldAsync(string key, WebhookLane lane, PendingRefRequest pending)
    {
        try
        {
            var result = await DeliverAsync(lane, pending.Sequence, pending.Request, pending.Deliver).ConfigureAwait(false);
            LogHeldDelivered(_logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(pending.Request.Ref), result.Outcome?.ToString() ?? "superseded");
        }
        catch (Exception e)
        {
            // Nobody waits for this answer any more; the resource's polling is the fallback.
            LogHeldFailed(_logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(pending.Request.Ref), e);
        }
    }

    private static async Task<WebhookGateResult> DeliverAsync(WebhookLane lane, long sequence, RefRequest request, Func<RefRequest, Task<RefRequestOutcome>> deliver)
    {
        await lane.Delivery.WaitAsync().ConfigureAwait(false);
        try
        {
            if (sequence < lane.LastDelivered)
            {
                return WebhookGateResult.Superseded;
            }

            lane.LastDelivered = sequence;
            return WebhookGateResult.Delivered(await deliver(request).ConfigureAwait(false));
        }
        finally
        {
            lane.Delivery.Release();
        }
    }

    /// <summary>Forgets lanes whose window has passed with nothing held, so deleted resources do not accumulate.</summary>
    private void SweepIdleLanes()
    {
        var now = _time.GetTimestamp();
        if (_lanes.Count < SweepThreshold || _time.GetElapsedTime(Interlocked.Read(ref _lastSweep), now) < _window)
        {
            return;
        }

        Interlocked.Exchange(ref _lastSweep, now);
        foreach (var (key, lane) in _lanes)
        {
            lock (lane.Sync)
            {
                if (lane.Pending is null && lane.Trailing is null && lane.Delivery.CurrentCount == 1 && _time.GetElapsedTime(lane.WindowStart, now) >= _window)
                {
                    lane.Retired = true;
                    _lanes.TryRemove(new KeyValuePair<string, WebhookLane>(key, lane));
                }
            }
        }
    }

    private ITimer StartTrailingTimer(string key, WebhookLane lane, TimeSpan due) =>
        _time.CreateTimer(
            static state =>
            {
                var (gate, key, lane) = ((WebhookRefGate, string, WebhookLane))state!;
                gate.OnTrailingEdge(key, lane);
            },
            (this, key, lane),
            due,
            Timeout.InfiniteTimeSpan);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook for {Key}: ref {Ref} held for {RetryAfter} (rate limit)")]
    private static partial void LogHeld(ILogger logger, string key, string @ref, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for {Key}: held ref {Ref} passed on when the window opened: {Outcome}")]
    private static partial void LogHeldDelivered(ILogger logger, string key, string @ref, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook for {Key}: held ref {Ref} could not be passed on")]
    private static partial void LogHeldFailed(ILogger logger, string key, string @ref, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook receiver stopping: held ref {Ref} dropped (polling will catch up)")]
    private static partial void LogDroppedAtShutdown(ILogger logger, string @ref);
}
