using System.Globalization;
using System.Text;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// Makes a value that came from outside (a request's path, body or headers) safe to write into a log line or an
/// error answer: control characters are escaped, so a value cannot start a forged log line, and long values are cut,
/// so a request cannot fill the log.
/// </summary>
public static class UntrustedText
{
    /// <summary>Enough to recognise any real ref or name; the rest is summarised by its length.</summary>
    public const int MaxChars = 128;

    public static string Sanitize(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxChars) + 16);
        var i = 0;
        for (; i < value.Length && builder.Length < MaxChars; i++)
        {
            var ch = value[i];
            _ = ch switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\\' => builder.Append("\\\\"),
                _ when char.IsControl(ch) || ch is '\u2028' or '\u2029' => builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(ch),
            };
        }

        if (i < value.Length)
        {
            builder.Append(CultureInfo.InvariantCulture, $"…({value.Length - i} more characters)");
        }

        return builder.ToString();
    }
}
