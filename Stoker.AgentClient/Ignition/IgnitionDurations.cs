using System.Globalization;

namespace Stoker.AgentClient.Ignition;

/// <summary>Durations as the original's messages write them: <c>5m</c>, <c>30s</c>, <c>1.5s</c>, <c>250ms</c>.</summary>
internal static class IgnitionDurations
{
    public static string Format(TimeSpan duration)
    {
        if (duration >= TimeSpan.FromMinutes(1) && duration.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return $"{(long)duration.TotalMinutes}m";
        }

        return duration >= TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.###}ms");
    }
}
