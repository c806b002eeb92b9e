using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>How often a GatewaySync re-resolves its ref (docs/resource-reference.md).</summary>
public static class PollingPolicy
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The polling interval, or null when polling is off: <c>enabled: false</c>, or a zero or negative interval.
    /// An absent <c>polling</c> means enabled every 60 s; an unparseable interval (refused by validation, but
    /// possible from a resource stored before) falls back to 60 s as the original did.
    /// </summary>
    public static TimeSpan? Interval(PollingSpec? polling)
    {
        if (polling is { Enabled: false })
        {
            return null;
        }

        var text = polling?.Interval;
        if (string.IsNullOrEmpty(text) || !GoDuration.TryParse(text, out var interval))
        {
            return DefaultInterval;
        }

        return interval > TimeSpan.Zero ? interval : null;
    }

    /// <summary>
    /// The poll schedule with a GitHub App: the next pass lands when the cached installation token is due for refresh
    /// (<paramref name="tokenExpiry"/> minus the refresh margin) if that is sooner than <paramref name="interval"/>, or
    /// if polling is off (control-plane behaviour of the original; docs/private-repositories.md). Whole seconds,
    /// rounded up, so the pass never arrives just before the refresh point.
    /// </summary>
    public static TimeSpan? WithTokenRefresh(TimeSpan? interval, DateTimeOffset? tokenExpiry, TimeSpan refreshBefore, DateTimeOffset now)
    {
        if (tokenExpiry is not { } expiry)
        {
            return interval;
        }

        var untilRefresh = expiry - now - refreshBefore;
        if (untilRefresh <= TimeSpan.Zero)
        {
            return interval;
        }

        var seconds = TimeSpan.FromSeconds(Math.Ceiling(untilRefresh.TotalSeconds));
        return interval is not { } period || seconds < period ? seconds : interval;
    }

    /// <summary>Compares refs the way the requested-ref self-cleaning does: one leading lower-case 'v' ignored.</summary>
    public static bool SameRefIgnoringV(string? a, string? b) => a is not null && b is not null && TrimOneV(a) == TrimOneV(b);

    private static string TrimOneV(string s) => s.StartsWith('v') ? s[1..] : s;
}
