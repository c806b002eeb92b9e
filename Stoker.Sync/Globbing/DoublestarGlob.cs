using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stoker.Sync.Globbing;

// Hand-written because no served NuGet library has doublestar (Go, bmatcuk/doublestar v4) semantics:
// DotNet.Glob 3.1.3 has no `{a,b}` alternatives and its `a/**` does not match `a` itself;
// Microsoft.Extensions.FileSystemGlobbing has no `?`, `[...]` or `{a,b}`, is case-insensitive by default
// and walks directories rather than matching a path string. Users bring patterns written for the Go
// original, so the matching rules (docs/sync-engine.md) must be the same, quirks included:
// * `*` is any run of non-`/` characters, `?` one non-`/` character (a whole Unicode scalar);
// * `[abc]`, `[a-z]`, `[!x]`/`[^x]` match one character, and, as in doublestar, may match `/`;
// * `{a,b}` alternatives, nestable, may contain `/` and `**`;
// * `**` is a doublestar only as a whole segment (`**/`, `/**`, `/**/`); elsewhere it is a `*`;
// * `a/**` and `a/**/` also match `a`; a trailing `/` in the pattern needs a trailing `/` in the path;
// * `\` escapes the next character; anchored at both ends; case-sensitive; dot-files are not special.
// The pattern is validated up front (doublestar validates lazily while matching; a valid pattern behaves
// the same), braces are expanded, and each alternative is compiled to one anchored .NET Regex using the
// non-backtracking engine, so matching time is linear in the path whatever the pattern.
public sealed class DoublestarGlob
{
    // Brace expansion multiplies; a pattern with more alternatives than this is treated as malformed
    // rather than compiled into an enormous regex.
    private const int MaxAlternatives = 1024;

    private const string Pair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";

    private readonly Regex _regex;
    private readonly string[] _literals;

    private DoublestarGlob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
        _literals = RequiredLiterals(pattern);
    }

    public string Pattern { get; }

    public static bool TryCreate(string pattern, out DoublestarGlob? glob) =>
        TryCreate(pattern, out glob, out _);

    // `error` says what is wrong with a malformed pattern, for callers that must report it
    // (patch `file` patterns: `invalid patch file pattern "<p>": <error>`).
    public static bool TryCreate(string pattern, out DoublestarGlob? glob, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        glob = null;
        error = Validate(pattern);
        if (error is not null)
        {
            return false;
        }

        var alternatives = new List<string>();
        error = ExpandBraces(pattern, alternatives);
        if (error is not null)
        {
            return false;
        }

        var regex = new StringBuilder(@"\A(?:");
        for (var i = 0; i < alternatives.Count; i++)
        {
            if (i > 0)
            {
                regex.Append('|');
            }

            AppendAlternative(regex, alternatives[i]);
        }

        regex.Append(@")\z");
        glob = new DoublestarGlob(
            pattern,
            new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
        return true;
    }

    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        // Most paths fail on a literal they lack (".git", ".resources"): a vectorised substring search, where a
        // fresh non-backtracking regex would first build its automaton (measured: about 2 s for 5 patterns over
        // 30,000 paths in a new process or a new PathFilter, 150 ms once warm).
        foreach (var literal in _literals)
        {
            if (!path.Contains(literal, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return _regex.IsMatch(path);
    }

    public override string ToString() => Pattern;

    // Substrings every match contains. With `*`, `?` and `**` as the only special characters, each maximal run of
    // other characters between wildcards and slashes is matched as written, so a path without it cannot match
    // (`/` is left out: `**/` also matches nothing). Patterns with classes, braces or escapes get no shortcut.
    private static string[] RequiredLiterals(string pattern) =>
        pattern.AsSpan().IndexOfAny("[]{}\\") >= 0 ? [] : pattern.Split(['*', '?', '/'], StringSplitOptions.RemoveEmptyEntries);

    // The same checks as doublestar's ValidatePattern: a dangling `\`, an unterminated or empty `[...]`,
    // and unbalanced braces are errors.
    private static string? Validate(string pattern)
    {
        var braceDepth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    if (++i >= pattern.Length)
                    {
                        return "trailing '\\' escapes nothing";
                    }

                    break;
                case '[':
                    var start = i;
                    if (++i < pattern.Length && pattern[i] is '!' or '^')
                    {
                        i++;
                    }

                    if (i >= pattern.Length)
                    {
                        return $"character class at offset {start} is not closed with ']'";
                    }

                    if (pattern[i] == ']')
                    {
                        return $"character class at offset {start} is empty";
                    }

                    for (; i < pattern.Length && pattern[i] != ']'; i++)
                    {
                        if (pattern[i] == '\\')
                        {
                            i++;
                        }
                    }

                    if (i >= pattern.Length)
                    {
                        return $"character class at offset {start} is not closed with ']'";
                    }

                    break;
                case '{':
                    braceDepth++;
                    break;
                case '}':
                    if (braceDepth == 0)
                    {
                        return $"'}}' at offset {i} has no matching '{{'";
                    }

                    braceDepth--;
                    break;
                default:
                    break;
            }
        }

        return braceDepth == 0 ? null : "'{' is not closed with '}'";
    }

    private static string? ExpandBraces(string pattern, List<string> output)
    {
        var open = IndexOfFirstBrace(pattern);
        if (open < 0)
        {
            if (output.Count >= MaxAlternatives)
            {
                return $"more than {MaxAlternatives} brace alternatives";
            }

            // Splitting braces that cut through a `[...]` (as in `{[,]}`) can leave a broken class behind.
            if (Validate(pattern) is { } error)
            {
                return $"alternative \"{pattern}\": {error}";
            }

            output.Add(pattern);
            return null;
        }

        // Like doublestar, the closing brace and the commas are found by counting nested braces and
        // honouring escapes only (a `}` or `,` inside a `[...]` within the braces still counts).
        var close = -1;
        var depth = 0;
        var commas = new List<int>();
        for (var i = open + 1; i < pattern.Length && close < 0; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    close = i;
                    break;
                case '}':
                    depth--;
                    break;
                case ',' when depth == 0:
                    commas.Add(i);
                    break;
                default:
                    break;
            }
        }

        if (close < 0)
        {
            // Possible only when a `[...]` hides braces from validation, as in `{[{]`.
            return $"'{{' at offset {open} is not closed with '}}'";
        }

        var prefix = pattern[..open];
        var suffix = pattern[(close + 1)..];
        var from = open + 1;
        commas.Add(close);
        foreach (var end in commas)
        {
            if (ExpandBraces(prefix + pattern[from..end] + suffix, output) is { } error)
            {
                return error;
            }

            from = end + 1;
        }

        return null;
    }

    // The first `{` that doublestar would treat as an alternative: not escaped and not inside `[...]`.
    private static int IndexOfFirstBrace(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = IndexOfClassEnd(pattern, i);
                    break;
                case '{':
                    return i;
                default:
                    break;
            }
        }

        return -1;
    }

    private static int IndexOfClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] is '!' or '^')
        {
            i++;
        }

        for (; i < pattern.Length && pattern[i] != ']'; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
        }

        return i;
    }

    private static void AppendAlternative(StringBuilder regex, string pattern)
    {
        // A `**` is a doublestar only at the start of a segment (start of the pattern or right after a `/`,
        // escaped or not) and when followed by `/` or the end of the pattern.
        var startOfSegment = true;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    var afterStars = i + 2;
                    if (startOfSegment && afterStars == pattern.Length)
                    {
                        // `**` ending the pattern: everything below, including nothing.
                        regex.Append(".*");
                        return;
                    }

                    if (startOfSegment && pattern[afterStars] == '/')
                    {
                        // `**/`: zero or more whole segments. Ending the pattern (`a/**/`), the whole
                        // remainder may also match nothing, which the caller's `/` handling covers.
                        regex.Append("(?:[^/]*/)*");
                        i = afterStars + 1;
                        startOfSegment = true;
                        continue;
                    }

                    i = afterStars;
                }
                else
                {
                    i++;
                }

                regex.Append("[^/]*");
                startOfSegment = false;
                continue;
            }

            if (c == '/' && IsZeroLengthTail(pattern, i))
            {
                // `a/**` and `a/**/` also match `a` (doublestar: the directory itself).
                regex.Append("(?:/");
                AppendAlternative(regex, pattern[(i + 1)..]);
                regex.Append(")?");
                return;
            }

            switch (c)
            {
                case '?':
                    regex.Append("(?:[^/\\uD800-\\uDFFF]|").Append(Pair).Append(')');
                    i++;
                    startOfSegment = false;
                    break;
                case '[':
                    i = AppendClass(regex, pattern, i);
                    startOfSegment = false;
                    break;
                case '\\':
                    i++;
                    i = AppendLiteral(regex, pattern, i, out startOfSegment);
                    break;
                default:
                    i = AppendLiteral(regex, pattern, i, out startOfSegment);
                    break;
            }
        }
    }

    // doublestar's zero-length tails that start with a separator: `/**` and `/**/`.
    private static bool IsZeroLengthTail(string pattern, int slash) =>
        pattern.AsSpan(slash) is "/**" or "/**/";

    private static int AppendLiteral(StringBuilder regex, string pattern, int i, out bool wasSlash)
    {
        var length = char.IsHighSurrogate(pattern[i]) && i + 1 < pattern.Length ? 2 : 1;
        var literal = pattern.Substring(i, length);
        regex.Append(Regex.Escape(literal));
        wasSlash = literal == "/";
        return i + length;
    }

    // A class matches one Unicode scalar. It is built as a set of code point ranges (doublestar's rules:
    // `-` between two members makes a range, a leading or trailing `-` is literal, `\` escapes, a reversed
    // range is empty) and then written as a BMP character class plus surrogate-pair alternatives.
    private static int AppendClass(StringBuilder regex, string pattern, int open)
    {
        var i = open + 1;
        var negate = pattern[i] is '!' or '^';
        if (negate)
        {
            i++;
        }

        var ranges = new List<(int Low, int High)>();
        int? last = null;
        while (pattern[i] != ']')
        {
            var member = ReadScalar(pattern, ref i);
            if (last is { } low && member == '-' && pattern[i] != ']')
            {
                if (pattern[i] == '\\')
                {
                    i++;
                }

                var high = ReadScalar(pattern, ref i);
                if (low <= high)
                {
                    ranges.Add((low, high));
                }

                last = null;
                continue;
            }

            if (member == '\\')
            {
                member = ReadScalar(pattern, ref i);
            }

            ranges.Add((member, member));
            last = member;
        }

        var set = Normalize(ranges);
        if (negate)
        {
            set = Complement(set);
        }

        AppendScalarSet(regex, set);
        return i + 1;
    }

    private static int ReadScalar(string pattern, ref int i)
    {
        if (char.IsHighSurrogate(pattern[i]) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]))
        {
            var scalar = char.ConvertToUtf32(pattern[i], pattern[i + 1]);
            i += 2;
            return scalar;
        }

        return pattern[i++];
    }

    private static List<(int Low, int High)> Normalize(List<(int Low, int High)> ranges)
    {
        // Surrogate code points never occur as scalars in a valid path, so they are left out of every set.
        var pieces = new List<(int Low, int High)>();
        foreach (var (low, high) in ranges)
        {
            if (low < 0xD800)
            {
                pieces.Add((low, Math.Min(high, 0xD7FF)));
            }

            if (high > 0xDFFF)
            {
                pieces.Add((Math.Max(low, 0xE000), high));
            }
        }

        pieces.Sort((a, b) => a.Low.CompareTo(b.Low));
        var merged = new List<(int Low, int High)>();
        foreach (var piece in pieces)
        {
            if (merged.Count > 0 && piece.Low <= merged[^1].High + 1)
            {
                merged[^1] = (merged[^1].Low, Math.Max(merged[^1].High, piece.High));
            }
            else
            {
                merged.Add(piece);
            }
        }

        return merged;
    }

    private static List<(int Low, int High)> Complement(List<(int Low, int High)> set)
    {
        var all = Normalize([(0, 0x10FFFF)]);
        var result = new List<(int Low, int High)>();
        foreach (var (low, high) in all)
        {
            var next = low;
            foreach (var (excludedLow, excludedHigh) in set)
            {
                if (excludedHigh < next || excludedLow > high)
                {
                    continue;
                }

                if (excludedLow > next)
                {
                    result.Add((next, excludedLow - 1));
                }

                next = excludedHigh + 1;
            }

            if (next <= high)
            {
                result.Add((next, high));
            }
        }

        return result;
    }

    private static void AppendScalarSet(StringBuilder regex, List<(int Low, int High)> set)
    {
        var alternatives = new List<string>();
        var bmp = new StringBuilder();
        foreach (var (low, high) in set)
        {
            if (low <= 0xFFFF)
            {
                bmp.Append(CharEscape(low));
                if (high > low)
                {
                    bmp.Append('-').Append(CharEscape(Math.Min(high, 0xFFFF)));
                }
            }

            if (high > 0xFFFF)
            {
                AddSupplementary(alternatives, Math.Max(low, 0x10000), high);
            }
        }

        if (bmp.Length > 0)
        {
            alternatives.Insert(0, "[" + bmp + "]");
        }

        // The non-backtracking engine has no lookarounds, so "matches nothing" is an impossible class.
        regex.Append(alternatives.Count == 0 ? @"[^\s\S]" : "(?:" + string.Join('|', alternatives) + ")");
    }

    private static void AddSupplementary(List<string> alternatives, int low, int high)
    {
        var (lowHigh, lowLow) = Surrogates(low);
        var (highHigh, highLow) = Surrogates(high);
        if (lowHigh == highHigh)
        {
            alternatives.Add(CharEscape(lowHigh) + "[" + CharEscape(lowLow) + "-" + CharEscape(highLow) + "]");
            return;
        }

        alternatives.Add(CharEscape(lowHigh) + "[" + CharEscape(lowLow) + @"-\uDFFF]");
        if (highHigh - lowHigh > 1)
        {
            alternatives.Add("[" + CharEscape(lowHigh + 1) + "-" + CharEscape(highHigh - 1) + @"][\uDC00-\uDFFF]");
        }

        alternatives.Add(CharEscape(highHigh) + @"[\uDC00-" + CharEscape(highLow) + "]");
    }

    private static (int High, int Low) Surrogates(int scalar)
    {
        var text = char.ConvertFromUtf32(scalar);
        return (text[0], text[1]);
    }

    private static string CharEscape(int c) => "\\u" + c.ToString("X4", CultureInfo.InvariantCulture);
}
