using System.Globalization;

namespace Stoker.Silo.Api.Watch;

/// <summary>
/// Local mode's resourceVersions: microseconds since the Unix epoch at the change, strictly increasing per resource
/// (assigned by the GatewaySync grain), so they compare as numbers and say when a change happened.
/// </summary>
public static class ResourceVersions
{
    public static ulong Parse(string? resourceVersion) =>
        ulong.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static ulong FromTime(DateTimeOffset at) => (ulong)Math.Max(0, (at - DateTimeOffset.UnixEpoch).Ticks / 10);

    public static DateTimeOffset ToTime(ulong value) => DateTimeOffset.UnixEpoch.AddTicks((long)Math.Min(value, (ulong)(DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks / 10) * 10);
}
