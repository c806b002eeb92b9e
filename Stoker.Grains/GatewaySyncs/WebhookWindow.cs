using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// One GatewaySync's webhook rate-limit window (fixed window, trailing-edge coalescing) and the request it holds.
/// Kept by the grain, in memory: one activation per resource in the cluster makes it cluster-wide, and losing it with
/// the activation only opens a fresh window early.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Threading.RateLimiting: those limiters read their own clock and replenish on their
/// own timer, while here the window and the <c>Retry-After</c> answer must agree on the grain's
/// <see cref="TimeProvider"/> (tests drive it with a fake clock). Not thread-safe: the grain's turns serialise it.
/// </remarks>
public sealed class WebhookWindow(TimeProvider time)
{
    private bool _hasWindow;
    private long _windowStart;
    private int _used;

    /// <summary>The newest request refused in the current window, taken when the window opens.</summary>
    public RefRequest? Held { get; private set; }

    /// <summary>The limit the held request was refused under.</summary>
    public WebhookRateLimit? HeldLimit { get; private set; }

    /// <summary>Takes a permit of the current window (opening a new one once it has passed), or says how long until the next.</summary>
    public bool TryTake(WebhookRateLimit limit, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var now = time.GetTimestamp();
        if (!_hasWindow || time.GetElapsedTime(_windowStart, now) >= limit.Window)
        {
            _hasWindow = true;
            _windowStart = now;
            _used = 0;
        }

        if (_used < limit.PermitLimit)
        {
            _used++;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = limit.Window - time.GetElapsedTime(_windowStart, now);
        return false;
    }

    /// <summary>Holds <paramref name="request"/>, replacing any older held one: a storm of pushes never loses the last.</summary>
    public void Hold(RefRequest request, WebhookRateLimit limit)
    {
        Held = request;
        HeldLimit = limit;
    }

    /// <summary>Forgets the held request: a newer one was taken, or the held one is being delivered.</summary>
    public void Release()
    {
        Held = null;
        HeldLimit = null;
    }
}
