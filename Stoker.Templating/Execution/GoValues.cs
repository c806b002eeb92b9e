using System.Collections;
using System.Text;

namespace Stoker.Templating.Execution;

/// <summary>How .NET values play Go's types: normalisation, type names, truth, lists and string order.</summary>
internal static class GoValues
{
    /// <summary>Integers become <see cref="long"/> (Go int), floating point <see cref="double"/> (float64).</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or string or bool or long or double => value,
        int i => (long)i,
        short s => (long)s,
        sbyte sb => (long)sb,
        byte b => (long)b,
        ushort us => (long)us,
        uint ui => (long)ui,
        // Split in two arms: a conditional expression would make both branches double.
        ulong ul when ul <= long.MaxValue => (long)ul,
        ulong ul => (double)ul,
        char c => (long)c,
        float f => (double)f,
        decimal d => (double)d,
        _ => value,
    };

    public static bool IsList(object? value, out IReadOnlyList<object?> list)
    {
        switch (value)
        {
            case null or string:
                list = [];
                return false;
            case IReadOnlyList<object?> readOnly:
                list = readOnly;
                return true;
            case IList plain when value is not IDictionary:
                list = plain.Cast<object?>().ToList();
                return true;
            default:
                list = [];
                return false;
        }
    }

    public static string TypeName(object? value)
    {
        switch (value)
        {
            case null:
                return "<nil>";
            case string:
                return "string";
            case bool:
                return "bool";
            case long:
                return "int";
            case double:
                return "float64";
            case TemplateObject obj:
                return obj.TypeName;
        }

        var map = GoMap.From(value);
        if (map is not null)
        {
            return map.TypeName;
        }

        if (!IsList(value, out _))
        {
            return value.GetType().Name;
        }

        return value switch
        {
            IEnumerable<string> => "[]string",
            IEnumerable<int> or IEnumerable<long> => "[]int",
            IEnumerable<bool> => "[]bool",
            IEnumerable<double> => "[]float64",
            _ => "[]interface {}",
        };
    }

    /// <summary>Go's truth: false for the zero value of the type (empty string, 0, false, nil, empty collections).</summary>
    public static bool IsTrue(object? value)
    {
        switch (value)
        {
            case null:
                return false;
            case string s:
                return s.Length > 0;
            case bool b:
                return b;
            case long l:
                return l != 0;
            case double d:
                return d != 0;
            case TemplateObject:
                return true;
        }

        var map = GoMap.From(value);
        if (map is not null)
        {
            return map.Count > 0;
        }

        return !IsList(value, out var list) || list.Count > 0;
    }

    /// <summary>Go compares strings byte-wise on UTF-8, which is code-point order, not UTF-16 order.</summary>
    public static int CompareStrings(string? a, string? b)
    {
        a ??= string.Empty;
        b ??= string.Empty;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return CodePointOrder(a[i]) - CodePointOrder(b[i]);
            }
        }

        return a.Length - b.Length;
    }

    public static int Utf8Length(string s) => Encoding.UTF8.GetByteCount(s);

    // Surrogates stand for code points above U+FFFF, so they sort after U+E000..U+FFFF.
    private static int CodePointOrder(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };
}
