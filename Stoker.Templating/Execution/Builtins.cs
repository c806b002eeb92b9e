using System.Globalization;
using System.Text;

namespace Stoker.Templating.Execution;

/// <summary>
/// text/template's builtin functions (funcs.go). <c>and</c> and <c>or</c> short-circuit, so the
/// executor evaluates them itself; everything here receives evaluated arguments and reports
/// failure with <see cref="GoFuncException"/>.
/// </summary>
internal static class Builtins
{
    private static readonly Dictionary<string, (int Fixed, bool Variadic)> Signatures = new(StringComparer.Ordinal)
    {
        ["and"] = (1, true),
        ["or"] = (1, true),
        ["not"] = (1, false),
        ["len"] = (1, false),
        ["index"] = (1, true),
        ["slice"] = (1, true),
        ["print"] = (0, true),
        ["printf"] = (1, true),
        ["println"] = (0, true),
        ["html"] = (0, true),
        ["js"] = (0, true),
        ["urlquery"] = (0, true),
        ["eq"] = (1, true),
        ["ne"] = (2, false),
        ["lt"] = (2, false),
        ["le"] = (2, false),
        ["gt"] = (2, false),
        ["ge"] = (2, false),
    };

    private enum Kind
    {
        Invalid,
        Bool,
        Int,
        Float,
        String,
    }

    public static bool IsDefined(string name) => Signatures.ContainsKey(name);

    /// <summary>Go builtins with no meaning here: <c>call</c> needs function values.</summary>
    public static bool IsUnsupported(string name) => name == "call";

    public static (int Fixed, bool Variadic) Signature(string name) => Signatures[name];

    public static object? Call(string name, IReadOnlyList<object?> args) => name switch
    {
        "not" => !GoValues.IsTrue(args[0]),
        "len" => Length(args[0]),
        "index" => Index(args[0], args.Skip(1).ToList()),
        "slice" => Slice(args[0], args.Skip(1).ToList()),
        "print" => GoPrinter.Sprint(args),
        "printf" => GoPrinter.Sprintf((string)args[0]!, args.Skip(1).ToList()),
        "println" => GoPrinter.Sprintln(args),
        "html" => GoEscapers.Html(EvalArgs(args)),
        "js" => GoEscapers.JavaScript(EvalArgs(args)),
        "urlquery" => GoEscapers.UrlQuery(EvalArgs(args)),
        "eq" => Equal(args[0], args.Skip(1).ToList()),
        "ne" => !Equal(args[0], [args[1]]),
        "lt" => Less(args[0], args[1]),
        "le" => Less(args[0], args[1]) || Equal(args[0], [args[1]]),
        "gt" => !(Less(args[0], args[1]) || Equal(args[0], [args[1]])),
        "ge" => !Less(args[0], args[1]),
        _ => throw new GoFuncException("function " + GoQuote.Quote(name) + " not defined"),
    };

    // Arguments of html/js/urlquery: a single string as is, else Sprint with nil shown as <no value>.
    private static string EvalArgs(IReadOnlyList<object?> args)
    {
        if (args.Count == 1 && args[0] is string s)
        {
            return s;
        }

        return GoPrinter.Sprint(args.Select(a => a ?? "<no value>").ToList());
    }

    private static long Length(object? item)
    {
        switch (item)
        {
            case null:
                throw new GoFuncException("len of nil pointer");
            case string s:
                return GoValues.Utf8Length(s);
        }

        var map = GoMap.From(item);
        if (map is not null)
        {
            return map.Count;
        }

        if (GoValues.IsList(item, out var list))
        {
            return list.Count;
        }

        throw new GoFuncException("len of type " + GoValues.TypeName(item));
    }

    private static object? Index(object? item, IReadOnlyList<object?> indexes)
    {
        if (item is null)
        {
            throw new GoFuncException("index of untyped nil");
        }

        foreach (var index in indexes)
        {
            if (item is null)
            {
                throw new GoFuncException("index of nil pointer");
            }

            if (item is string s)
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                item = (long)bytes[IndexArg(index, bytes.Length)];
                continue;
            }

            if (GoValues.IsList(item, out var list))
            {
                item = GoValues.Normalize(list[IndexArg(index, list.Count)]);
                continue;
            }

            var map = GoMap.From(item);
            if (map is null)
            {
                throw new GoFuncException("can't index item of type " + GoValues.TypeName(item));
            }

            if (index is not string key)
            {
                throw new GoFuncException(index is null
                    ? "value is nil; should be of type string"
                    : "value has type " + GoValues.TypeName(index) + "; should be string");
            }

            item = map.TryGet(key, out var value) ? value : map.ZeroValue;
        }

        return item;
    }

    private static object? Slice(object? item, IReadOnlyList<object?> indexes)
    {
        if (item is null)
        {
            throw new GoFuncException("slice of untyped nil");
        }

        if (indexes.Count > 3)
        {
            throw new GoFuncException("too many slice indexes: " + indexes.Count.ToString(CultureInfo.InvariantCulture));
        }

        byte[]? bytes = null;
        IReadOnlyList<object?>? list = null;
        int length;
        if (item is string s)
        {
            if (indexes.Count == 3)
            {
                throw new GoFuncException("cannot 3-index slice a string");
            }

            bytes = Encoding.UTF8.GetBytes(s);
            length = bytes.Length;
        }
        else if (GoValues.IsList(item, out var items))
        {
            list = items;
            length = items.Count;
        }
        else
        {
            throw new GoFuncException("can't slice item of type " + GoValues.TypeName(item));
        }

        int[] idx = [0, length, length];
        for (var i = 0; i < indexes.Count; i++)
        {
            idx[i] = IndexArg(indexes[i], length, allowEnd: true);
        }

        if (idx[0] > idx[1])
        {
            throw new GoFuncException(string.Create(CultureInfo.InvariantCulture, $"invalid slice index: {idx[0]} > {idx[1]}"));
        }

        if (indexes.Count == 3 && idx[1] > idx[2])
        {
            throw new GoFuncException(string.Create(CultureInfo.InvariantCulture, $"invalid slice index: {idx[1]} > {idx[2]}"));
        }

        if (bytes is not null)
        {
            return Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]);
        }

        return list!.Skip(idx[0]).Take(idx[1] - idx[0]).ToList();
    }

    private static int IndexArg(object? index, int length, bool allowEnd = false)
    {
        var x = index switch
        {
            long l => l,
            null => throw new GoFuncException("cannot index slice/array with nil"),
            _ => throw new GoFuncException("cannot index slice/array with type " + GoValues.TypeName(index)),
        };
        if (x < 0 || x > length || (!allowEnd && x == length))
        {
            throw new GoFuncException("index out of range: " + x.ToString(CultureInfo.InvariantCulture));
        }

        return (int)x;
    }

    private static Kind BasicKind(object? value) => value switch
    {
        bool => Kind.Bool,
        long => Kind.Int,
        double => Kind.Float,
        string => Kind.String,
        _ => Kind.Invalid,
    };

    private static bool Equal(object? arg1, IReadOnlyList<object?> others)
    {
        if (others.Count == 0)
        {
            throw new GoFuncException("missing argument for comparison");
        }

        var k1 = BasicKind(arg1);
        foreach (var arg in others)
        {
            var k2 = BasicKind(arg);
            bool truth;
            if (k1 != k2)
            {
                if (arg1 is not null && arg is not null)
                {
                    throw new GoFuncException("incompatible types for comparison");
                }

                truth = false;
            }
            else
            {
                truth = k1 switch
                {
                    Kind.Bool => (bool)arg1! == (bool)arg!,
                    Kind.Int => (long)arg1! == (long)arg!,
                    Kind.Float => (double)arg1! == (double)arg!,
                    Kind.String => string.Equals((string)arg1!, (string)arg!, StringComparison.Ordinal),
                    _ => EqualNonBasic(arg1, arg),
                };
            }

            if (truth)
            {
                return true;
            }
        }

        return false;
    }

    // Maps and slices are not comparable in Go; either may still be compared with nil.
    private static bool EqualNonBasic(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is TemplateObject && b is TemplateObject)
        {
            return ReferenceEquals(a, b);
        }

        var bad = a is TemplateObject ? b : a;
        throw new GoFuncException("non-comparable type " + GoValues.TypeName(bad));
    }

    private static bool Less(object? arg1, object? arg2)
    {
        var k1 = BasicKind(arg1);
        var k2 = BasicKind(arg2);
        if (k1 == Kind.Invalid || k2 == Kind.Invalid)
        {
            throw new GoFuncException("invalid type for comparison");
        }

        if (k1 != k2)
        {
            throw new GoFuncException("incompatible types for comparison");
        }

        return k1 switch
        {
            Kind.Int => (long)arg1! < (long)arg2!,
            Kind.Float => (double)arg1! < (double)arg2!,
            Kind.String => GoValues.CompareStrings((string)arg1!, (string)arg2!) < 0,
            _ => throw new GoFuncException("invalid type for comparison"),
        };
    }
}
