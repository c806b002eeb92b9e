using System.Globalization;

namespace Stoker.Silo.Api.Lists;

/// <summary>
/// A Kubernetes label selector (<c>labelSelector</c>): comma-separated requirements <c>key</c>, <c>!key</c>,
/// <c>key=v</c>, <c>key==v</c>, <c>key!=v</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>, <c>key&gt;N</c>,
/// <c>key&lt;N</c>; every requirement must hold. Parsing is bounded by the query's length.
/// </summary>
public sealed class LabelSelector
{
    public const int MaxLength = 4096;

    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        var actual = labels ?? new Dictionary<string, string>();
        return _requirements.All(r => r(actual));
    }

    /// <summary>Parses the selector; null and the error message (naming the part it cannot read) when it is malformed.</summary>
    public static LabelSelector? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        if (text.Length > MaxLength)
        {
            error = $"labelSelector: longer than {MaxLength} characters";
            return null;
        }

        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            var requirement = ParseRequirement(part.Trim(), out error);
            if (requirement is null)
            {
                error = $"unable to parse requirement \"{part.Trim()}\" of labelSelector \"{text}\": {error}";
                return null;
            }

            requirements.Add(requirement);
        }

        return new LabelSelector(requirements);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool>? ParseRequirement(string part, out string? error)
    {
        error = null;
        if (part.Length == 0)
        {
            error = "empty requirement";
            return null;
        }

        if (part[0] == '!')
        {
            var key = part[1..].Trim();
            return CheckKey(key, out error) ? labels => !labels.ContainsKey(key) : null;
        }

        foreach (var (op, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = part[..at].Trim();
                var set = part[(at + op.Length)..].Trim();
                if (!CheckKey(key, out error))
                {
                    return null;
                }

                if (set.Length < 2 || set[0] != '(' || set[^1] != ')')
                {
                    error = "expected a parenthesised list of values after \"" + op.Trim() + "\"";
                    return null;
                }

                var values = set[1..^1].Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
                if (values.Any(v => !IsValue(v)))
                {
                    error = "a value is not a valid label value";
                    return null;
                }

                return negate
                    ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                    : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
            }
        }

        foreach (var op in new[] { "!=", "==", "=", ">", "<" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var key = part[..at].Trim();
            var value = part[(at + op.Length)..].Trim();
            if (!CheckKey(key, out error))
            {
                return null;
            }

            if (op is ">" or "<")
            {
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                {
                    error = $"for '{op}' the value must be an integer, not \"{value}\"";
                    return null;
                }

                return labels => labels.TryGetValue(key, out var v)
                    && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                    && (op == ">" ? n > bound : n < bound);
            }

            if (!IsValue(value))
            {
                error = $"\"{value}\" is not a valid label value";
                return null;
            }

            return op == "!="
                ? labels => !labels.TryGetValue(key, out var v) || v != value
                : labels => labels.TryGetValue(key, out var v) && v == value;
        }

        return CheckKey(part, out error) ? labels => labels.ContainsKey(part) : null;
    }

    private static bool CheckKey(string key, out string? error)
    {
        error = null;
        var name = key.Contains('/', StringComparison.Ordinal) ? key[(key.LastIndexOf('/') + 1)..] : key;
        if (name.Length is 0 or > 63 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            error = $"\"{key}\" is not a valid label key";
            return false;
        }

        return true;
    }

    private static bool IsValue(string value) => value.Length <= 63 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
