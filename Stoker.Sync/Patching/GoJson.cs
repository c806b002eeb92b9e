using System.Globalization;
using System.Text;

namespace Stoker.Sync.Patching;

// The text conventions of Go's encoding/json and strconv that the original agent's output depends on
// (json.Marshal string escaping, float formatting, string unescaping). System.Text.Json escapes and
// formats differently (e.g. it escapes '+' and non-ASCII, prints 1E+21), so these are written out here.
internal static class GoJson
{
    private const string Hex = "0123456789abcdef";

    // sjson's appendStringify: verbatim in quotes unless the string has a byte that needs escaping,
    // in which case the whole string goes through json.Marshal (which then also escapes <, > and &).
    public static string Stringify(string value)
    {
        foreach (var c in value)
        {
            if (c < ' ' || c > '\u007f' || c == '"' || c == '\\')
            {
                return Marshal(value);
            }
        }

        return "\"" + value + "\"";
    }

    // json.Marshal of a Go string (HTML escaping on, as json.Marshal always does).
    public static string Marshal(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendMarshalled(builder, value);
        return builder.ToString();
    }

    public static void AppendMarshalled(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '<' or '>' or '&' or < ' ':
                    builder.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                    break;
                case '\u2028' or '\u2029':
                    builder.Append("\\u202").Append(Hex[c & 0xF]);
                    break;
                default:
                    if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
                    {
                        // Go sees invalid UTF-8 here and writes the replacement character.
                        builder.Append("\\ufffd");
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    // Decodes the inside of a JSON string literal (between the quotes, already known to be valid JSON)
    // the way Go does: a lone surrogate escape becomes U+FFFD instead of failing.
    public static string Unescape(ReadOnlySpan<byte> inner)
    {
        if (inner.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(inner);
        }

        var builder = new StringBuilder(inner.Length);
        var start = 0;
        var i = 0;
        while (i < inner.Length)
        {
            if (inner[i] != '\\')
            {
                i++;
                continue;
            }

            builder.Append(Encoding.UTF8.GetString(inner[start..i]));
            var escape = (char)inner[i + 1];
            i += 2;
            switch (escape)
            {
                case 'b':
                    builder.Append('\b');
                    break;
                case 'f':
                    builder.Append('\f');
                    break;
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'u':
                    var unit = ParseHex4(inner[i..]);
                    i += 4;
                    if (char.IsHighSurrogate(unit) && i + 6 <= inner.Length && inner[i] == '\\' && inner[i + 1] == 'u'
                        && char.IsLowSurrogate(ParseHex4(inner[(i + 2)..])))
                    {
                        builder.Append(unit).Append(ParseHex4(inner[(i + 2)..]));
                        i += 6;
                    }
                    else
                    {
                        builder.Append(char.IsSurrogate(unit) ? '\uFFFD' : unit);
                    }

                    break;
                default:
                    // '"', '\\' and '/'.
                    builder.Append(escape);
                    break;
            }

            start = i;
        }

        builder.Append(Encoding.UTF8.GetString(inner[start..]));
        return builder.ToString();
    }

    // strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that round-trip, never an exponent.
    public static string FormatFixed(double value)
    {
        var (negative, digits, pointPosition) = ShortestDigits(value);
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        if (pointPosition <= 0)
        {
            builder.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition >= digits.Length)
        {
            builder.Append(digits).Append('0', pointPosition - digits.Length);
        }
        else
        {
            builder.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }

        return digits == "0" ? (negative ? "-0" : "0") : builder.ToString();
    }

    // encoding/json's float64 encoding: 'f' format, but 'e' (with a one- or more-digit exponent,
    // e.g. 1e+21, 1e-7) outside [1e-6, 1e21).
    public static string FormatForMarshal(double value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21))
        {
            return FormatFixed(value);
        }

        var (negative, digits, pointPosition) = ShortestDigits(value);
        var exponent = pointPosition - 1;
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        builder.Append(digits[0]);
        if (digits.Length > 1)
        {
            builder.Append('.').Append(digits, 1, digits.Length - 1);
        }

        builder.Append('e').Append(exponent < 0 ? '-' : '+');
        var exponentText = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        // Go prints at least two exponent digits and json.Marshal then trims "e-07" to "e-7", but not "e+07".
        if (exponentText.Length < 2 && exponent > 0)
        {
            builder.Append('0');
        }

        return builder.Append(exponentText).ToString();
    }

    // Significant digits (no leading/trailing zeros, "0" for zero) and the position of the decimal point
    // relative to them, from .NET's shortest round-trip formatting (the same digits Go chooses).
    private static (bool Negative, string Digits, int PointPosition) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot >= 0 ? dot : text.Length;
        var allDigits = dot >= 0 ? text.Remove(dot, 1) : text;
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        if (digits.Length == 0)
        {
            return (negative, "0", 1);
        }

        return (negative, digits, integerDigits - leadingZeros + exponent);
    }

    private static char ParseHex4(ReadOnlySpan<byte> hex) =>
        (char)int.Parse(Encoding.ASCII.GetString(hex[..4]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
