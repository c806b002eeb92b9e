using System.Globalization;
using System.Text;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>
/// Go's <c>time.Duration</c> text form (<c>300ms</c>, <c>1h30m</c>, <c>-1.5s</c>), which the resource uses for
/// <c>polling.interval</c> and conditions use for "retry in 1m0s". Hand-written: .NET has no parser for it.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("\u00b5s", 1_000m), ("\u03bcs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var negative = s[0] == '-';
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || s[numberLength] == '.'))
            {
                numberLength++;
            }

            var number = s[..numberLength];
            if (number.IsEmpty || number.SequenceEqual(".") || number.Count('.') > 1
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            s = s[numberLength..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            var unit = s[..unitLength].ToString();
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0)
            {
                return false;
            }

            total += value * Units[match].Nanoseconds;
            s = s[unitLength..];
            if (total > long.MaxValue)
            {
                return false;
            }
        }

        var ticks = (long)(total / 100m);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats as Go's <c>Duration.String()</c> does, at 100 ns resolution.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            builder.Append('-');
            duration = duration.Duration();
        }

        var nanoseconds = (decimal)duration.Ticks * 100m;
        if (duration < TimeSpan.FromSeconds(1))
        {
            var (unit, scale) = nanoseconds < 1_000m ? ("ns", 1m) : nanoseconds < 1_000_000m ? ("\u00b5s", 1_000m) : ("ms", 1_000_000m);
            return builder.Append(Trim(nanoseconds / scale)).Append(unit).ToString();
        }

        var hours = duration.Ticks / TimeSpan.TicksPerHour;
        var minutes = duration.Ticks / TimeSpan.TicksPerMinute % 60;
        var seconds = (nanoseconds % 60_000_000_000m) / 1_000_000_000m;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return builder.Append(Trim(seconds)).Append('s').ToString();
    }

    private static string Trim(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}
