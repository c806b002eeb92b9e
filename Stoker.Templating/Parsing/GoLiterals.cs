using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stoker.Templating.Parsing;

/// <summary>The parts of Go's strconv the parser needs: unquoting literals and reading number constants.</summary>
internal static partial class GoLiterals
{
    /// <summary>strconv.Unquote for a double-quoted or back-quoted literal.</summary>
    public static bool TryUnquote(string quoted, out string value)
    {
        value = string.Empty;
        if (quoted.Length < 2 || quoted[0] != quoted[^1])
        {
            return false;
        }

        var body = quoted[1..^1];
        if (quoted[0] == '`')
        {
            if (body.Contains('`', StringComparison.Ordinal))
            {
                return false;
            }

            // Go drops carriage returns from raw strings.
            value = body.Replace("\r", string.Empty, StringComparison.Ordinal);
            return true;
        }

        if (quoted[0] != '"' || body.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }

        if (!body.Contains('\\', StringComparison.Ordinal) && !body.Contains('"', StringComparison.Ordinal))
        {
            value = body;
            return true;
        }

        // \x and octal escapes produce raw bytes, so collect UTF-8 and decode once at the end.
        var bytes = new List<byte>(body.Length);
        Span<byte> buffer = stackalloc byte[4];
        var i = 0;
        while (i < body.Length)
        {
            if (!TryUnquoteChar(body, i, '"', out var rune, out var isByte, out i))
            {
                return false;
            }

            if (isByte)
            {
                bytes.Add((byte)rune);
            }
            else
            {
                var written = new Rune(rune).EncodeToUtf8(buffer);
                for (var b = 0; b < written; b++)
                {
                    bytes.Add(buffer[b]);
                }
            }
        }

        value = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    /// <summary>
    /// strconv.UnquoteChar: decodes one character or escape of <paramref name="s"/> at
    /// <paramref name="index"/>. <paramref name="isByte"/> is set for \x and octal escapes, which
    /// denote a single byte rather than a code point.
    /// </summary>
    public static bool TryUnquoteChar(string s, int index, char quote, out int value, out bool isByte, out int next)
    {
        value = 0;
        isByte = false;
        next = index;
        if (index >= s.Length)
        {
            return false;
        }

        var c = s[index];
        if (c == quote)
        {
            return false;
        }

        if (c != '\\')
        {
            if (Rune.DecodeFromUtf16(s.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                consumed = 1;
            }

            value = rune.Value;
            next = index + consumed;
            return true;
        }

        if (index + 1 >= s.Length)
        {
            return false;
        }

        var e = s[index + 1];
        next = index + 2;
        switch (e)
        {
            case 'a': value = '\a'; return true;
            case 'b': value = '\b'; return true;
            case 'f': value = '\f'; return true;
            case 'n': value = '\n'; return true;
            case 'r': value = '\r'; return true;
            case 't': value = '\t'; return true;
            case 'v': value = '\v'; return true;
            case '\\': value = '\\'; return true;
            case '\'' or '"':
                value = e;
                return e == quote;
            case 'x' or 'u' or 'U':
                var n = e switch { 'x' => 2, 'u' => 4, _ => 8 };
                if (next + n > s.Length)
                {
                    return false;
                }

                var v = 0L;
                for (var j = 0; j < n; j++)
                {
                    var digit = HexValue(s[next + j]);
                    if (digit < 0)
                    {
                        return false;
                    }

                    v = (v << 4) | (uint)digit;
                }

                next += n;
                if (e == 'x')
                {
                    value = (int)v;
                    isByte = true;
                    return true;
                }

                if (v > 0x10FFFF || !Rune.IsValid((int)v))
                {
                    return false;
                }

                value = (int)v;
                return true;
            case >= '0' and <= '7':
                if (next + 2 > s.Length)
                {
                    return false;
                }

                var octal = e - '0';
                for (var j = 0; j < 2; j++)
                {
                    var digit = s[next + j] - '0';
                    if (digit is < 0 or > 7)
                    {
                        return false;
                    }

                    octal = (octal << 3) | digit;
                }

                next += 2;
                if (octal > 255)
                {
                    return false;
                }

                value = octal;
                isByte = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Go's parse.newNumber: fills every interpretation of the constant, or returns an error message.</summary>
    public static string? ReadNumber(NumberNode node, TokenKind kind)
    {
        var text = node.Text;
        if (kind == TokenKind.CharConstant)
        {
            if (!TryUnquoteChar(text, 1, '\'', out var rune, out _, out var next))
            {
                return "invalid syntax";
            }

            if (next != text.Length - 1 || text[next] != '\'')
            {
                return "malformed character constant: " + text;
            }

            node.Int64 = rune;
            node.IsInt = true;
            node.Uint64 = (ulong)rune;
            node.IsUint = true;
            node.Float64 = rune;
            node.IsFloat = true;
            return null;
        }

        if (kind == TokenKind.Complex || text.EndsWith('i'))
        {
            return "complex constants are not supported: " + text;
        }

        // Every interpretation that fits is kept, as Go does: "73" is an int, a uint and a float; "-0" is a uint.
        if (TryParseUnsigned(text, out var unsigned))
        {
            node.IsUint = true;
            node.Uint64 = unsigned;
        }

        if (TryParseSigned(text, out var signed))
        {
            node.IsInt = true;
            node.Int64 = signed;
            if (signed == 0)
            {
                node.IsUint = true;
                node.Uint64 = 0;
            }
        }

        if (node.IsInt || node.IsUint)
        {
            node.IsFloat = true;
            node.Float64 = node.IsInt ? node.Int64 : node.Uint64;
            return null;
        }

        if (TryParseFloat(text, out var f))
        {
            // Parsed as a float but looks like an integer: too large for int64 and uint64.
            if (text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0)
            {
                return "integer overflow: " + Execution.GoQuote.Quote(text);
            }

            node.IsFloat = true;
            node.Float64 = f;

            // A float with an exact integer value is an integer too (1e9 is an int, 1e19 only a uint).
            if (Math.Floor(f) == f)
            {
                if (f >= -9223372036854775808.0 && f < 9223372036854775808.0)
                {
                    node.IsInt = true;
                    node.Int64 = (long)f;
                }

                if (f >= 0 && f < 18446744073709551616.0)
                {
                    node.IsUint = true;
                    node.Uint64 = (ulong)f;
                }
            }

            return null;
        }

        return "illegal number syntax: " + Execution.GoQuote.Quote(text);
    }

    private static bool TryParseSigned(string text, out long value)
    {
        value = 0;
        var negative = text.StartsWith('-');
        var body = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (!TryParseUnsigned(body, out var magnitude))
        {
            return false;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }

    // strconv.ParseUint(text, 0, 64): base prefixes 0x 0o 0b and a leading 0 for octal, underscores between digits.
    private static bool TryParseUnsigned(string text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || !UnderscoreOk(text))
        {
            return false;
        }

        var digits = text;
        var numberBase = 10u;
        if (text.Length >= 2 && text[0] == '0')
        {
            switch (char.ToLowerInvariant(text[1]))
            {
                case 'x':
                    numberBase = 16;
                    digits = text[2..];
                    break;
                case 'o':
                    numberBase = 8;
                    digits = text[2..];
                    break;
                case 'b':
                    numberBase = 2;
                    digits = text[2..];
                    break;
                default:
                    numberBase = 8;
                    digits = text[1..];
                    break;
            }
        }

        digits = digits.Replace("_", string.Empty, StringComparison.Ordinal);
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            var d = HexValue(c);
            if (d < 0 || d >= numberBase)
            {
                return false;
            }

            if (value > (ulong.MaxValue - (uint)d) / numberBase)
            {
                return false;
            }

            value = (value * numberBase) + (uint)d;
        }

        return true;
    }

    private static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        if (text.Contains('_', StringComparison.Ordinal))
        {
            if (!UnderscoreOk(text))
            {
                return false;
            }

            text = text.Replace("_", string.Empty, StringComparison.Ordinal);
        }

        if (HexFloat().Match(text) is { Success: true } hexMatch)
        {
            return TryParseHexFloat(hexMatch, out value);
        }

        if (!DecimalFloat().IsMatch(text))
        {
            return false;
        }

        value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return !double.IsInfinity(value);
    }

    // strconv's underscoreOK: underscores only between digits, or between a base prefix and a digit.
    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && s[0] is '-' or '+')
        {
            s = s[1..];
        }

        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }

        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9' || (hex && char.ToLowerInvariant(c) is >= 'a' and <= 'f'))
            {
                saw = '0';
                continue;
            }

            if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }

                saw = '_';
                continue;
            }

            if (saw == '_')
            {
                return false;
            }

            saw = '!';
        }

        return saw != '_';
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // Go's hexadecimal floating-point literal (0x1.ep+2 = 7.5): the binary exponent is required.
    // .NET's double.Parse has no hex form, so the mantissa is gathered here and scaled by a power of two.
    private static bool TryParseHexFloat(Match match, out double value)
    {
        value = 0;
        var whole = match.Groups["whole"].Value;
        var fraction = match.Groups["fraction"].Value;
        if (whole.Length + fraction.Length == 0
            || !int.TryParse(match.Groups["exponent"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
        {
            return false;
        }

        // Sixteen hex digits fill a ulong; further digits only shift the exponent (and, below the 53 bits
        // a double keeps, a set "sticky" bit stands for any non-zero digit so rounding stays right).
        ulong mantissa = 0;
        var digits = 0;
        var sticky = false;
        var shift = 0;
        foreach (var c in (whole + fraction).TrimStart('0'))
        {
            if (digits < 15)
            {
                mantissa = (mantissa << 4) | (uint)HexValue(c);
                digits++;
            }
            else
            {
                sticky |= c != '0';
                shift += 4;
            }
        }

        if (sticky)
        {
            mantissa = (mantissa << 1) | 1;
            shift--;
        }

        var binaryExponent = (long)exponent + shift - (4L * fraction.Length);
        value = Math.ScaleB((double)mantissa, (int)Math.Clamp(binaryExponent, -2000, 2000));
        if (match.Groups["sign"].Value == "-")
        {
            value = -value;
        }

        return !double.IsInfinity(value);
    }

    [GeneratedRegex(@"^(?<sign>[+-]?)0[xX](?<whole>[0-9a-fA-F]*)(\.(?<fraction>[0-9a-fA-F]*))?[pP](?<exponent>[+-]?[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex HexFloat();

    [GeneratedRegex(@"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalFloat();
}
