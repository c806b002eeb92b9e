using System.Globalization;

namespace Stoker.Silo.Api.Tables;

/// <summary>
/// An age as the API server prints it in Table cells of date columns ("45s", "3m12s", "5h", "12d"): coarser as
/// the age grows, so a column stays narrow.
/// </summary>
public static class HumanAge
{
    public static string Format(TimeSpan age)
    {
        var seconds = (long)Math.Floor(age.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return Text(seconds, "s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return Pair(minutes, "m", seconds % 60, "s");
        }

        if (minutes < 180)
        {
            return Text(minutes, "m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return Pair(hours, "h", minutes % 60, "m");
        }

        if (hours < 48)
        {
            return Text(hours, "h");
        }

        var days = hours / 24;
        if (hours < 24 * 8)
        {
            return Pair(days, "d", hours % 24, "h");
        }

        if (days < 365 * 2)
        {
            return Text(days, "d");
        }

        var years = days / 365;
        return days < 365 * 8 ? Pair(years, "y", days % 365, "d") : Text(years, "y");
    }

    private static string Text(long value, string unit) => value.ToString(CultureInfo.InvariantCulture) + unit;

    private static string Pair(long major, string majorUnit, long minor, string minorUnit) =>
        minor == 0 ? Text(major, majorUnit) : Text(major, majorUnit) + Text(minor, minorUnit);
}
