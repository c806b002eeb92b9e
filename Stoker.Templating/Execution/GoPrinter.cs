using System.Globalization;
using System.Text;

namespace Stoker.Templating.Execution;

/// <summary>
/// Go's fmt (print.go, format.go) for the values templates handle: Sprint, Sprintln and Sprintf
/// with flags, width, precision, argument indexes and Go's <c>%!verb(type=value)</c> error
/// markers. Complex numbers, pointers and %x on floats are not modelled.
/// </summary>
internal sealed class GoPrinter
{
    private const string LowerDigits = "0123456789abcdefx";
    private const string UpperDigits = "0123456789ABCDEFX";
    private const int MaxDepth = 64;

    private readonly StringBuilder _buf = new();
    private bool _widPresent;
    private bool _precPresent;
    private bool _minus;
    private bool _plus;
    private bool _sharp;
    private bool _space;
    private bool _zero;
    private bool _plusV;
    private bool _sharpV;
    private int _wid;
    private int _prec;
    private bool _reordered;
    private bool _goodArgNum;

    public static string Sprint(IReadOnlyList<object?> args)
    {
        var p = new GoPrinter();
        var prevString = false;
        for (var i = 0; i < args.Count; i++)
        {
            var isString = args[i] is string;
            if (i > 0 && !isString && !prevString)
            {
                p._buf.Append(' ');
            }

            p.PrintArg(args[i], 'v');
            prevString = isString;
        }

        return p._buf.ToString();
    }

    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var p = new GoPrinter();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                p._buf.Append(' ');
            }

            p.PrintArg(args[i], 'v');
        }

        p._buf.Append('\n');
        return p._buf.ToString();
    }

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var p = new GoPrinter();
        p.DoPrintf(format, args);
        return p._buf.ToString();
    }

    private void ClearFlags()
    {
        _widPresent = _precPresent = _minus = _plus = _sharp = _space = _zero = _plusV = _sharpV = false;
        _wid = _prec = 0;
    }

    private void DoPrintf(string format, IReadOnlyList<object?> a)
    {
        var end = format.Length;
        var argNum = 0;
        _reordered = false;
        var i = 0;
        while (i < end)
        {
            _goodArgNum = true;
            var lasti = i;
            while (i < end && format[i] != '%')
            {
                i++;
            }

            if (i > lasti)
            {
                _buf.Append(format, lasti, i - lasti);
            }

            if (i >= end)
            {
                break;
            }

            i++;
            ClearFlags();
            for (; i < end; i++)
            {
                var c = format[i];
                if (c == '#')
                {
                    _sharp = true;
                }
                else if (c == '0')
                {
                    _zero = !_minus;
                }
                else if (c == '+')
                {
                    _plus = true;
                }
                else if (c == '-')
                {
                    _minus = true;
                    _zero = false;
                }
                else if (c == ' ')
                {
                    _space = true;
                }
                else
                {
                    break;
                }
            }

            (argNum, i, var afterIndex) = ArgNumber(argNum, format, i, a.Count);

            if (i < end && format[i] == '*')
            {
                i++;
                (_wid, _widPresent, argNum) = IntFromArg(a, argNum);
                if (!_widPresent)
                {
                    _buf.Append("%!(BADWIDTH)");
                }

                if (_wid < 0)
                {
                    _wid = -_wid;
                    _minus = true;
                    _zero = false;
                }

                afterIndex = false;
            }
            else
            {
                (_wid, _widPresent, i) = ParseNum(format, i, end);
                if (afterIndex && _widPresent)
                {
                    _goodArgNum = false;
                }
            }

            if (i + 1 < end && format[i] == '.')
            {
                i++;
                if (afterIndex)
                {
                    _goodArgNum = false;
                }

                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Count);
                if (i < end && format[i] == '*')
                {
                    i++;
                    (_prec, _precPresent, argNum) = IntFromArg(a, argNum);
                    if (_prec < 0)
                    {
                        _prec = 0;
                        _precPresent = false;
                    }

                    if (!_precPresent)
                    {
                        _buf.Append("%!(BADPREC)");
                    }

                    afterIndex = false;
                }
                else
                {
                    (_prec, _precPresent, i) = ParseNum(format, i, end);
                    if (!_precPresent)
                    {
                        _prec = 0;
                        _precPresent = true;
                    }
                }
            }

            if (!afterIndex)
            {
                (argNum, i, _) = ArgNumber(argNum, format, i, a.Count);
            }

            if (i >= end)
            {
                _buf.Append("%!(NOVERB)");
                break;
            }

            int verb = format[i];
            if (char.IsHighSurrogate(format[i]) && i + 1 < end && char.IsLowSurrogate(format[i + 1]))
            {
                verb = char.ConvertToUtf32(format[i], format[i + 1]);
                i++;
            }

            i++;

            if (verb == '%')
            {
                _buf.Append('%');
            }
            else if (!_goodArgNum)
            {
                BadArgNum(verb, "BADINDEX");
            }
            else if (argNum >= a.Count)
            {
                BadArgNum(verb, "MISSING");
            }
            else
            {
                if (verb == 'v')
                {
                    _sharpV = _sharp;
                    _sharp = false;
                    _plusV = _plus;
                    _plus = false;
                }

                PrintArg(a[argNum], verb);
                argNum++;
            }
        }

        if (!_reordered && argNum < a.Count)
        {
            ClearFlags();
            _buf.Append("%!(EXTRA ");
            for (var k = argNum; k < a.Count; k++)
            {
                if (k > argNum)
                {
                    _buf.Append(", ");
                }

                if (a[k] is null)
                {
                    _buf.Append("<nil>");
                }
                else
                {
                    _buf.Append(GoValues.TypeName(a[k])).Append('=');
                    PrintArg(a[k], 'v');
                }
            }

            _buf.Append(')');
        }
    }

    private void BadArgNum(int verb, string what)
    {
        _buf.Append("%!");
        AppendRune(verb);
        _buf.Append('(').Append(what).Append(')');
    }

    private (int ArgNum, int Index, bool Found) ArgNumber(int argNum, string format, int i, int numArgs)
    {
        if (format.Length <= i || format[i] != '[')
        {
            return (argNum, i, false);
        }

        _reordered = true;
        var (index, wid, ok) = ParseArgNumber(format[i..]);
        if (ok && index >= 0 && index < numArgs)
        {
            return (index, i + wid, true);
        }

        _goodArgNum = false;
        return (argNum, i + wid, ok);
    }

    private static (int Index, int Width, bool Ok) ParseArgNumber(string format)
    {
        if (format.Length < 3)
        {
            return (0, 1, false);
        }

        for (var i = 1; i < format.Length; i++)
        {
            if (format[i] == ']')
            {
                var (width, ok, newi) = ParseNum(format, 1, i);
                if (!ok || newi != i)
                {
                    return (0, i + 1, false);
                }

                return (width - 1, i + 1, true);
            }
        }

        return (0, 1, false);
    }

    private static (int Num, bool IsNum, int NewIndex) ParseNum(string s, int start, int end)
    {
        if (start >= end)
        {
            return (0, false, end);
        }

        var num = 0;
        var isNum = false;
        var i = start;
        while (i < end && s[i] is >= '0' and <= '9')
        {
            if (num > 1_000_000)
            {
                return (0, false, end);
            }

            num = (num * 10) + (s[i] - '0');
            isNum = true;
            i++;
        }

        return (num, isNum, i);
    }

    private static (int Num, bool IsInt, int NewArgNum) IntFromArg(IReadOnlyList<object?> a, int argNum)
    {
        if (argNum >= a.Count)
        {
            return (0, false, argNum);
        }

        if (a[argNum] is long n && n is >= -1_000_000 and <= 1_000_000)
        {
            return ((int)n, true, argNum + 1);
        }

        return (0, false, argNum + 1);
    }

    private void PrintArg(object? arg, int verb)
    {
        if (arg is null)
        {
            if (verb is 'T' or 'v')
            {
                PadString("<nil>");
            }
            else
            {
                BadVerb(verb, null);
            }

            return;
        }

        if (verb == 'T')
        {
            FmtS(GoValues.TypeName(arg));
            return;
        }

        PrintValue(arg, verb, 0);
    }

    private void PrintValue(object? value, int verb, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new GoFuncException("value is nested too deeply to print");
        }

        switch (value)
        {
            case null:
                PadString("<nil>");
                return;
            case bool b:
                FmtBool(b, verb);
                return;
            case long l:
                FmtInteger(l, verb);
                return;
            case double d:
                FmtFloat(d, verb);
                return;
            case string s:
                FmtString(s, verb);
                return;
            case TemplateObject obj:
                _buf.Append('{');
                for (var i = 0; i < obj.OrderedFields.Count; i++)
                {
                    if (i > 0)
                    {
                        _buf.Append(' ');
                    }

                    if (_plusV || _sharpV)
                    {
                        _buf.Append(obj.OrderedFields[i].Key).Append(':');
                    }

                    PrintValue(GoValues.Normalize(obj.OrderedFields[i].Value), verb, depth + 1);
                }

                _buf.Append('}');
                return;
        }

        var map = GoMap.From(value);
        if (map is not null)
        {
            _buf.Append("map[");
            var first = true;
            foreach (var key in map.SortedKeys())
            {
                if (!first)
                {
                    _buf.Append(' ');
                }

                first = false;
                PrintValue(key, verb, depth + 1);
                _buf.Append(':');
                map.TryGet(key, out var element);
                PrintValue(element, verb, depth + 1);
            }

            _buf.Append(']');
            return;
        }

        if (GoValues.IsList(value, out var list))
        {
            _buf.Append('[');
            for (var i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    _buf.Append(' ');
                }

                PrintValue(GoValues.Normalize(list[i]), verb, depth + 1);
            }

            _buf.Append(']');
            return;
        }

        // An opaque .NET value: print it as a string would be printed.
        FmtString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, verb);
    }

    private void BadVerb(int verb, object? value)
    {
        _buf.Append("%!");
        AppendRune(verb);
        _buf.Append('(');
        if (value is null)
        {
            _buf.Append("<nil>");
        }
        else
        {
            _buf.Append(GoValues.TypeName(value)).Append('=');
            PrintValue(value, 'v', 0);
        }

        _buf.Append(')');
    }

    private void FmtBool(bool value, int verb)
    {
        if (verb is 't' or 'v')
        {
            PadString(value ? "true" : "false");
        }
        else
        {
            BadVerb(verb, value);
        }
    }

    private void FmtInteger(long value, int verb)
    {
        switch (verb)
        {
            case 'v' or 'd':
                FmtIntegerBase(value, 10, verb, LowerDigits);
                break;
            case 'b':
                FmtIntegerBase(value, 2, verb, LowerDigits);
                break;
            case 'o' or 'O':
                FmtIntegerBase(value, 8, verb, LowerDigits);
                break;
            case 'x':
                FmtIntegerBase(value, 16, verb, LowerDigits);
                break;
            case 'X':
                FmtIntegerBase(value, 16, verb, UpperDigits);
                break;
            case 'c':
                Pad(ValidRune(value) ? char.ConvertFromUtf32((int)value) : "\uFFFD");
                break;
            case 'q':
                Pad(GoQuote.QuoteRune(ValidRune(value) ? (int)value : 0xFFFD, _plus));
                break;
            case 'U':
                FmtUnicode(value);
                break;
            default:
                BadVerb(verb, value);
                break;
        }
    }

    private static bool ValidRune(long value) => value is >= 0 and <= 0x10FFFF && Rune.IsValid((int)value);

    private void FmtUnicode(long value)
    {
        var text = "U+" + ((ulong)value).ToString("X4", CultureInfo.InvariantCulture);
        if (_sharp && ValidRune(value) && GoQuote.IsPrint((int)value))
        {
            text += " '" + char.ConvertFromUtf32((int)value) + "'";
        }

        var oldZero = _zero;
        _zero = false;
        Pad(text);
        _zero = oldZero;
    }

    // format.go fmtInteger.
    private void FmtIntegerBase(long value, int numberBase, int verb, string digits)
    {
        var negative = value < 0;
        var u = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        var prec = 0;
        if (_precPresent)
        {
            prec = _prec;
            if (prec == 0 && u == 0)
            {
                var oldZero = _zero;
                _zero = false;
                WritePadding(_wid);
                _zero = oldZero;
                return;
            }
        }
        else if (_zero && !_minus && _widPresent)
        {
            prec = _wid;
            if (negative || _plus || _space)
            {
                prec--;
            }
        }

        var chars = new List<char>();
        do
        {
            chars.Add(digits[(int)(u % (ulong)numberBase)]);
            u /= (ulong)numberBase;
        }
        while (u > 0);

        while (chars.Count < prec)
        {
            chars.Add('0');
        }

        if (_sharp)
        {
            switch (numberBase)
            {
                case 2:
                    chars.Add('b');
                    chars.Add('0');
                    break;
                case 8 when chars[^1] != '0':
                    chars.Add('0');
                    break;
                case 16:
                    chars.Add(digits[16]);
                    chars.Add('0');
                    break;
            }
        }

        if (verb == 'O')
        {
            chars.Add('o');
            chars.Add('0');
        }

        if (negative)
        {
            chars.Add('-');
        }
        else if (_plus)
        {
            chars.Add('+');
        }
        else if (_space)
        {
            chars.Add(' ');
        }

        chars.Reverse();
        var old = _zero;
        _zero = false;
        Pad(new string([.. chars]));
        _zero = old;
    }

    private void FmtFloat(double value, int verb)
    {
        switch (verb)
        {
            case 'v':
                FormatFloat(value, 'g', -1);
                break;
            case 'g' or 'G':
                FormatFloat(value, (char)verb, _precPresent ? _prec : -1);
                break;
            case 'e' or 'E':
                FormatFloat(value, (char)verb, _precPresent ? _prec : 6);
                break;
            case 'f' or 'F':
                FormatFloat(value, 'f', _precPresent ? _prec : 6);
                break;
            default:
                BadVerb(verb, value);
                break;
        }
    }

    // format.go fmtFloat: sign, zero padding after the sign, no zero padding for Inf/NaN.
    private void FormatFloat(double value, char format, int prec)
    {
        var num = GoFloat.Format(value, format, prec);
        if (num[0] is not ('-' or '+'))
        {
            num = "+" + num;
        }

        if (_space && num[0] == '+' && !_plus)
        {
            num = " " + num[1..];
        }

        if (num[1] is 'I' or 'N')
        {
            var oldZero = _zero;
            _zero = false;
            if (num[1] == 'N' && !_space && !_plus)
            {
                num = num[1..];
            }

            Pad(num);
            _zero = oldZero;
            return;
        }

        if (_plus || num[0] != '+')
        {
            if (_zero && !_minus && _widPresent && _wid > num.Length)
            {
                _buf.Append(num[0]);
                WritePadding(_wid - num.Length);
                _buf.Append(num, 1, num.Length - 1);
                return;
            }

            Pad(num);
            return;
        }

        Pad(num[1..]);
    }

    private void FmtString(string value, int verb)
    {
        switch (verb)
        {
            case 'v':
                if (_sharpV)
                {
                    FmtQ(value);
                }
                else
                {
                    FmtS(value);
                }

                break;
            case 's':
                FmtS(value);
                break;
            case 'x':
                FmtSx(value, LowerDigits);
                break;
            case 'X':
                FmtSx(value, UpperDigits);
                break;
            case 'q':
                FmtQ(value);
                break;
            default:
                BadVerb(verb, value);
                break;
        }
    }

    private string Truncate(string s)
    {
        if (!_precPresent)
        {
            return s;
        }

        var sb = new StringBuilder();
        var n = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            if (n++ >= _prec)
            {
                break;
            }

            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    private void FmtS(string s) => PadString(Truncate(s));

    private void FmtQ(string s)
    {
        s = Truncate(s);
        if (_sharp && GoQuote.CanBackquote(s))
        {
            PadString("`" + s + "`");
            return;
        }

        Pad(GoQuote.Quote(s, '"', _plus));
    }

    // format.go fmtSbx: hexadecimal of the UTF-8 bytes.
    private void FmtSx(string s, string digits)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var length = _precPresent && _prec < bytes.Length ? _prec : bytes.Length;
        var width = 2 * length;
        if (width > 0)
        {
            if (_space)
            {
                if (_sharp)
                {
                    width *= 2;
                }

                width += length - 1;
            }
            else if (_sharp)
            {
                width += 2;
            }
        }
        else
        {
            if (_widPresent)
            {
                WritePadding(_wid);
            }

            return;
        }

        if (_widPresent && _wid > width && !_minus)
        {
            WritePadding(_wid - width);
        }

        if (_sharp)
        {
            _buf.Append('0').Append(digits[16]);
        }

        for (var i = 0; i < length; i++)
        {
            if (_space && i > 0)
            {
                _buf.Append(' ');
                if (_sharp)
                {
                    _buf.Append('0').Append(digits[16]);
                }
            }

            _buf.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }

        if (_widPresent && _wid > width && _minus)
        {
            WritePadding(_wid - width);
        }
    }

    private void PadString(string s) => Pad(s);

    // Width counts runes, as Go's utf8.RuneCountInString.
    private void Pad(string s)
    {
        if (!_widPresent || _wid == 0)
        {
            _buf.Append(s);
            return;
        }

        var width = _wid - s.EnumerateRunes().Count();
        if (!_minus)
        {
            WritePadding(width);
            _buf.Append(s);
        }
        else
        {
            _buf.Append(s);
            WritePadding(width);
        }
    }

    private void WritePadding(int n)
    {
        if (n > 0)
        {
            _buf.Append(_zero && !_minus ? '0' : ' ', n);
        }
    }

    private void AppendRune(int r) => _buf.Append(r is >= 0 and <= 0x10FFFF && Rune.IsValid(r) ? char.ConvertFromUtf32(r) : "\uFFFD");
}
