using System.Globalization;
using System.Numerics;
using System.Text;

namespace Stoker.Templating.Execution;

/// <summary>
/// strconv.FormatFloat for the 'e', 'E', 'f', 'g' and 'G' formats. The shortest digits come from
/// .NET's round-trip format; fixed precision uses the exact decimal expansion and Go's rounding
/// (half to even on exact ties, where .NET rounds away from zero). Layout follows ftoa.go.
/// </summary>
internal static class GoFloat
{
    /// <param name="prec">Digits after the point ('e', 'f') or significant digits ('g'); -1 for the shortest representation.</param>
    public static string Format(double value, char format, int prec)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        var negative = double.IsNegative(value);
        var magnitude = Math.Abs(value);
        var shortest = prec < 0;
        string digits;
        int dp;
        if (shortest)
        {
            (digits, dp) = Shortest(magnitude);
            prec = format switch
            {
                'e' or 'E' => Math.Max(digits.Length - 1, 0),
                'f' => Math.Max(digits.Length - dp, 0),
                _ => digits.Length,
            };
        }
        else
        {
            (digits, dp) = Exact(magnitude);
            switch (format)
            {
                case 'e' or 'E':
                    (digits, dp) = Round(digits, dp, prec + 1);
                    break;
                case 'f':
                    (digits, dp) = Round(digits, dp, dp + prec);
                    break;
                default:
                    if (prec == 0)
                    {
                        prec = 1;
                    }

                    (digits, dp) = Round(digits, dp, prec);
                    break;
            }
        }

        switch (format)
        {
            case 'e' or 'E':
                return FormatE(negative, digits, dp, prec, format);
            case 'f':
                return FormatF(negative, digits, dp, prec);
        }

        // %e is used if the exponent is less than -4 or at least the precision
        // (6 when the precision is the shortest possible).
        var eprec = prec;
        if (eprec > digits.Length && digits.Length >= dp)
        {
            eprec = digits.Length;
        }

        if (shortest)
        {
            eprec = 6;
        }

        var exp = dp - 1;
        if (exp < -4 || exp >= eprec)
        {
            if (prec > digits.Length)
            {
                prec = digits.Length;
            }

            return FormatE(negative, digits, dp, prec - 1, format == 'G' ? 'E' : 'e');
        }

        if (prec > dp)
        {
            prec = digits.Length;
        }

        return FormatF(negative, digits, dp, Math.Max(prec - dp, 0));
    }

    // Significant digits (no leading or trailing zeros) and the decimal point position: value = 0.digits × 10^dp.
    private static (string Digits, int DecimalPoint) Shortest(double magnitude)
    {
        var text = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? text.Length : point;
        return Normalize(point < 0 ? text : text.Remove(point, 1), integerDigits + exponent);
    }

    // The exact decimal expansion of a finite double: mantissa × 2^exponent, via 2^-n = 5^n / 10^n.
    private static (string Digits, int DecimalPoint) Exact(double magnitude)
    {
        if (magnitude == 0)
        {
            return (string.Empty, 0);
        }

        var bits = BitConverter.DoubleToInt64Bits(magnitude);
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        int exponent;
        if (exponentBits == 0)
        {
            exponent = -1074;
        }
        else
        {
            mantissa |= 1L << 52;
            exponent = exponentBits - 1075;
        }

        if (exponent >= 0)
        {
            var whole = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            return Normalize(whole, whole.Length);
        }

        var scaled = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
        return Normalize(scaled, scaled.Length + exponent);
    }

    private static (string Digits, int DecimalPoint) Normalize(string digits, int dp)
    {
        var leading = 0;
        while (leading < digits.Length && digits[leading] == '0')
        {
            leading++;
        }

        if (leading == digits.Length)
        {
            return (string.Empty, 0);
        }

        return (digits[leading..].TrimEnd('0'), dp - leading);
    }

    // strconv's decimal.Round to nd digits: half to even on an exact tie.
    private static (string Digits, int DecimalPoint) Round(string digits, int dp, int nd)
    {
        if (nd < 0 || nd >= digits.Length)
        {
            return (digits, dp);
        }

        var roundUp = digits[nd] == '5' && nd + 1 == digits.Length
            ? nd > 0 && (digits[nd - 1] - '0') % 2 == 1
            : digits[nd] >= '5';
        if (!roundUp)
        {
            return (digits[..nd].TrimEnd('0'), dp);
        }

        var i = nd - 1;
        while (i >= 0 && digits[i] == '9')
        {
            i--;
        }

        if (i < 0)
        {
            return ("1", dp + 1);
        }

        return (digits[..i] + (char)(digits[i] + 1), dp);
    }

    // %e: -d.ddddde±dd
    private static string FormatE(bool negative, string digits, int dp, int prec, char format)
    {
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        sb.Append(digits.Length == 0 ? '0' : digits[0]);
        if (prec > 0)
        {
            sb.Append('.');
            var available = Math.Min(digits.Length, prec + 1);
            if (available > 1)
            {
                sb.Append(digits, 1, available - 1);
            }

            sb.Append('0', prec - Math.Max(available - 1, 0));
        }

        sb.Append(format);
        var exp = digits.Length == 0 ? 0 : dp - 1;
        sb.Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }

        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    // %f: -ddddddd.ddddd
    private static string FormatF(bool negative, string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (dp > 0)
        {
            var m = Math.Min(digits.Length, dp);
            sb.Append(digits, 0, m);
            sb.Append('0', dp - m);
        }
        else
        {
            sb.Append('0');
        }

        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                var j = dp + i - 1;
                sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }

        return sb.ToString();
    }
}
