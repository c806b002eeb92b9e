using System.Globalization;
using System.Text;

namespace Stoker.Sync.Patching;

// Finds the values a gjson query path points at, for sjson's "complex path" mode (a key with an unescaped
// '|', '#', '@', '*' or '?'): only values that exist are replaced, nothing is created, and a path whose
// result gjson cannot locate in the text (modifiers, pipes, `#` counts, a query followed by `|`) changes nothing
// (docs/resource-reference.md).
// Supported: `*`/`?` key wildcards (first match), `#.rest` (every element), `#(query)` / `#(query)#`
// (first / every matching element) with ==, =, !=, <, <=, >, >=, %, !% and the ~ truthiness forms,
// numeric indexes and plain keys, all in gjson's parsing rules.
// One deliberate difference: for `#.rest`, gjson 1.18 reports the positions of the matches relative to
// each element, so sjson 1.2.5 writes the value at the wrong offsets and corrupts the file; here every
// element's match is replaced.
internal static class GjsonQuery
{
    private static readonly HashSet<string> Modifiers =
    [
        "pretty", "ugly", "reverse", "this", "flatten", "join", "valid", "keys", "values", "tostr", "fromstr", "group", "dig",
    ];

    private enum Outcome
    {
        NotFound,
        Found,
        Unlocatable,
    }

    // The ranges (relative to `json`) of the values to replace; empty when nothing changes.
    public static List<JsonRange> FindTargets(ReadOnlySpan<byte> json, string path)
    {
        var hits = new List<JsonRange>();
        return Get(json, 0, path, hits) == Outcome.Found ? hits : [];
    }

    // gjson's Get on one value: the prefix forms first, then the container walk.
    private static Outcome Get(ReadOnlySpan<byte> json, int offset, string path, List<JsonRange> hits)
    {
        if (path.Length > 1)
        {
            if (path[0] == '@' && Modifiers.Contains(NameAfterPrefix(path)))
            {
                return Outcome.Unlocatable;
            }

            if (path[0] == '!' && IsStatic(path))
            {
                return Outcome.Unlocatable;
            }

            if (path[0] is '[' or '{' || path.StartsWith("..", StringComparison.Ordinal))
            {
                // Multipath selectors and JSON Lines build new JSON that is not in the file.
                return Outcome.Unlocatable;
            }
        }

        return GetIn(json, offset, path, hits);
    }

    private static Outcome GetIn(ReadOnlySpan<byte> json, int offset, string path, List<JsonRange> hits) =>
        JsonSpans.Kind(json) switch
        {
            (byte)'{' => GetInObject(json, offset, path, hits),
            (byte)'[' => GetInArray(json, offset, path, hits),
            _ => Outcome.NotFound,
        };

    private static Outcome GetInObject(ReadOnlySpan<byte> json, int offset, string path, List<JsonRange> hits)
    {
        var step = ObjectStep.Parse(path);
        foreach (var member in JsonSpans.Members(json))
        {
            var matches = step.Wild ? WildcardMatch.IsMatch(member.Key, step.Key) : member.Key == step.Key;
            if (!matches)
            {
                continue;
            }

            if (!step.More)
            {
                if (step.Piped)
                {
                    return Outcome.Unlocatable;
                }

                hits.Add(member.Value.Offset(offset));
                return Outcome.Found;
            }

            // gjson keeps looking at later members when this one does not lead to a match.
            var value = json.Slice(member.Value.Start, member.Value.Length);
            if (JsonSpans.IsContainer(value))
            {
                var outcome = GetIn(value, offset + member.Value.Start, step.Rest, hits);
                if (outcome != Outcome.NotFound)
                {
                    return outcome;
                }
            }
        }

        return Outcome.NotFound;
    }

    private static Outcome GetInArray(ReadOnlySpan<byte> json, int offset, string path, List<JsonRange> hits)
    {
        var step = ArrayStep.Parse(path);
        if (!step.ArrayChar)
        {
            if (!SjsonSegment.TryParseDigits(step.Part, out var index) || !JsonSpans.TryFindElement(json, index, out var element))
            {
                return Outcome.NotFound;
            }

            if (!step.More)
            {
                if (step.Piped)
                {
                    return Outcome.Unlocatable;
                }

                hits.Add(element.Offset(offset));
                return Outcome.Found;
            }

            var value = json.Slice(element.Start, element.Length);
            return JsonSpans.IsContainer(value) ? GetIn(value, offset + element.Start, step.Rest, hits) : Outcome.NotFound;
        }

        if (step.AllElementsKey is { } key)
        {
            return EachElement(json, offset, key, hits);
        }

        if (step.Query is { } query)
        {
            // `#(query)|rest` and `#(query)#|rest` apply the rest to JSON gjson builds from the matches
            // (a count, a new array), so the result is not in the file and sjson leaves the file as it is.
            return step.Piped ? Outcome.Unlocatable : QueryElements(json, offset, step, query, hits);
        }

        // `#` alone is the element count, computed rather than found in the text.
        return step.Part == "#" && !step.More ? Outcome.Unlocatable : Outcome.NotFound;
    }

    private static Outcome EachElement(ReadOnlySpan<byte> json, int offset, string key, List<JsonRange> hits)
    {
        if (HasPipe(key))
        {
            return Outcome.Unlocatable;
        }

        var found = false;
        foreach (var element in JsonSpans.Elements(json))
        {
            var elementHits = new List<JsonRange>();
            var outcome = Get(json.Slice(element.Start, element.Length), offset + element.Start, key, elementHits);
            if (outcome == Outcome.Unlocatable)
            {
                return outcome;
            }

            if (outcome == Outcome.Found)
            {
                hits.AddRange(elementHits);
                found = true;
            }
        }

        return found ? Outcome.Found : Outcome.NotFound;
    }

    private static Outcome QueryElements(ReadOnlySpan<byte> json, int offset, ArrayStep step, ArrayQuery query, List<JsonRange> hits)
    {
        var found = false;
        foreach (var element in JsonSpans.Elements(json))
        {
            var value = json.Slice(element.Start, element.Length);
            if (!JsonSpans.IsContainer(value) && query.Path.Length > 0)
            {
                // gjson skips a scalar element when the query names a key, whatever the operator.
                continue;
            }

            if (!query.Matches(Probe(value, query.Path)))
            {
                continue;
            }

            var elementHits = new List<JsonRange>();
            Outcome outcome;
            if (step.More)
            {
                if (HasPipe(step.Rest))
                {
                    return Outcome.Unlocatable;
                }

                outcome = Get(value, offset + element.Start, step.Rest, elementHits);
            }
            else
            {
                elementHits.Add(element.Offset(offset));
                outcome = Outcome.Found;
            }

            if (!query.All)
            {
                hits.AddRange(elementHits);
                return outcome;
            }

            if (outcome == Outcome.Found)
            {
                hits.AddRange(elementHits);
                found = true;
            }
        }

        return found ? Outcome.Found : Outcome.NotFound;
    }

    // The value a query's left-hand path selects inside one element (the element itself for an empty
    // path on a scalar), or null when there is none.
    private static QueryValue? Probe(ReadOnlySpan<byte> element, string path)
    {
        if (!JsonSpans.IsContainer(element))
        {
            return path.Length == 0 ? QueryValue.From(element) : null;
        }

        var hits = new List<JsonRange>();
        if (Get(element, 0, path, hits) != Outcome.Found)
        {
            return null;
        }

        return QueryValue.From(element.Slice(hits[0].Start, hits[0].Length));
    }

    private static string NameAfterPrefix(string path)
    {
        var end = path.IndexOfAny(['.', '|', ':'], 1);
        return end < 0 ? path[1..] : path[1..end];
    }

    private static bool IsStatic(string path)
    {
        if ("{[\"+-0123456789".Contains(path[1], StringComparison.Ordinal))
        {
            return true;
        }

        var end = path.IndexOfAny(['.', '|'], 1);
        var name = end < 0 ? path[1..] : path[1..end];
        return name.ToLowerInvariant() is "true" or "false" or "null" or "nan" or "inf";
    }

    // gjson's splitPossiblePipe: a '|' outside a query's brackets and quotes.
    private static bool HasPipe(string path)
    {
        var depth = 0;
        for (var i = 0; i < path.Length; i++)
        {
            switch (path[i])
            {
                case '\\':
                    i++;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case '"' when depth > 0:
                    for (i++; i < path.Length && path[i] != '"'; i++)
                    {
                        if (path[i] == '\\')
                        {
                            i++;
                        }
                    }

                    break;
                case '|' when depth == 0:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    // Whether the text after a '.' starts a gjson pipe: a known @modifier, '[' or '{'.
    private static bool IsDotPiper(string rest)
    {
        if (rest.Length == 0)
        {
            return false;
        }

        if (rest[0] == '@')
        {
            var end = rest.IndexOfAny(['.', '|', ':'], 1);
            return Modifiers.Contains(end < 0 ? rest[1..] : rest[1..end]);
        }

        return rest[0] is '[' or '{';
    }

    // gjson's parseObjectPath: one key (escapes removed, wildcards flagged) and the rest of the path.
    private sealed record ObjectStep(string Key, string Rest, bool More, bool Piped, bool Wild)
    {
        public static ObjectStep Parse(string path)
        {
            var key = new StringBuilder();
            var wild = false;
            for (var i = 0; i < path.Length; i++)
            {
                var c = path[i];
                switch (c)
                {
                    case '|':
                        return new ObjectStep(key.ToString(), path[(i + 1)..], false, true, wild);
                    case '.':
                        var rest = path[(i + 1)..];
                        return IsDotPiper(rest)
                            ? new ObjectStep(key.ToString(), rest, false, true, wild)
                            : new ObjectStep(key.ToString(), rest, true, false, wild);
                    case '*' or '?':
                        wild = true;
                        key.Append(c);
                        break;
                    case '\\':
                        if (++i < path.Length)
                        {
                            key.Append(path[i]);
                        }

                        break;
                    default:
                        key.Append(c);
                        break;
                }
            }

            return new ObjectStep(key.ToString(), "", false, false, wild);
        }
    }

    // gjson's parseArrayPath: an index, `#`, `#.key` or `#(query)[#]`, and the rest of the path.
    private sealed record ArrayStep(string Part, string Rest, bool More, bool Piped, bool ArrayChar, string? AllElementsKey, ArrayQuery? Query)
    {
        public static ArrayStep Parse(string path)
        {
            var arrayChar = false;
            string? allElementsKey = null;
            ArrayQuery? query = null;
            for (var i = 0; i < path.Length; i++)
            {
                switch (path[i])
                {
                    case '|':
                        return new ArrayStep(path[..i], path[(i + 1)..], false, true, arrayChar, allElementsKey, query);
                    case '.':
                        var rest = path[(i + 1)..];
                        return !arrayChar && IsDotPiper(rest)
                            ? new ArrayStep(path[..i], rest, false, true, arrayChar, allElementsKey, query)
                            : new ArrayStep(path[..i], rest, true, false, arrayChar, allElementsKey, query);
                    case '#':
                        arrayChar = true;
                        if (i == 0 && path.Length > 1)
                        {
                            if (path[1] == '.')
                            {
                                allElementsKey = path[2..];
                            }
                            else if (path[1] is '[' or '(')
                            {
                                query = ArrayQuery.Parse(path, out var end);
                                if (query is null)
                                {
                                    return new ArrayStep(path, "", false, false, true, null, null);
                                }

                                i = end - 1;
                                if (i + 1 < path.Length && path[i + 1] == '#')
                                {
                                    query = query with { All = true };
                                }
                            }
                        }

                        break;
                    default:
                        break;
                }
            }

            return new ArrayStep(path, "", false, false, arrayChar, allElementsKey, query);
        }
    }

    // A `#(path op value)` condition, in gjson's parseQuery / queryMatches rules.
    private sealed record ArrayQuery(string Path, string Operator, string Value, bool All)
    {
        // `text` starts with "#(" or "#["; `end` is the index just past the closing bracket.
        public static ArrayQuery? Parse(string text, out int end)
        {
            var depth = 1;
            var valueStart = 0;
            var escaped = false;
            var i = 2;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (depth == 1 && valueStart == 0 && c is '!' or '=' or '<' or '>' or '%')
                {
                    valueStart = i;
                    continue;
                }

                if (c == '\\')
                {
                    i++;
                }
                else if (c is '[' or '(')
                {
                    depth++;
                }
                else if (c is ']' or ')')
                {
                    if (--depth == 0)
                    {
                        break;
                    }
                }
                else if (c == '"')
                {
                    for (i++; i < text.Length; i++)
                    {
                        if (text[i] == '\\')
                        {
                            escaped = true;
                            i++;
                        }
                        else if (text[i] == '"')
                        {
                            break;
                        }
                    }
                }
            }

            end = i + 1;
            if (depth > 0)
            {
                return null;
            }

            if (valueStart == 0)
            {
                return new ArrayQuery(text[2..i].Trim(JsonWhitespace), "", "", false);
            }

            var path = text[2..valueStart].Trim(JsonWhitespace);
            var value = text[valueStart..i].Trim(JsonWhitespace);
            var operatorLength = value.Length switch
            {
                1 => 1,
                _ when value.StartsWith("!=", StringComparison.Ordinal) || value.StartsWith("!%", StringComparison.Ordinal)
                    || value.StartsWith("<=", StringComparison.Ordinal) || value.StartsWith(">=", StringComparison.Ordinal) => 2,
                _ when value.StartsWith("==", StringComparison.Ordinal) => -1,
                _ when value[0] is '<' or '>' or '=' or '%' => 1,
                _ => 0,
            };
            if (operatorLength == -1)
            {
                value = value[1..];
                operatorLength = 1;
            }

            var op = value[..operatorLength];
            value = value[operatorLength..].Trim(JsonWhitespace);
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
                if (escaped)
                {
                    value = GoJson.Unescape(Encoding.UTF8.GetBytes(value));
                }
            }

            return new ArrayQuery(path, op, value, false);
        }

        private static readonly char[] JsonWhitespace = [' ', '\t', '\n', '\r'];

        public bool Matches(QueryValue? candidate)
        {
            var expected = Value;
            if (expected.StartsWith('~'))
            {
                // gjson 1.18 gives a missing value the null type, so `~null` and `~false` match an
                // element that lacks the key, and `~true` does not.
                bool? truth = expected[1..] switch
                {
                    "*" => candidate is not null,
                    "null" => candidate is null or { Kind: QueryKind.Null },
                    "true" => candidate?.IsTrueish() ?? false,
                    "false" => candidate?.IsFalseish() ?? true,
                    _ => null,
                };
                if (truth is null)
                {
                    return false;
                }

                expected = "true";
                candidate = new QueryValue(truth.Value ? QueryKind.True : QueryKind.False, "", 0);
            }

            if (candidate is null)
            {
                return false;
            }

            if (Operator.Length == 0)
            {
                return true;
            }

            return candidate.Kind switch
            {
                QueryKind.String => Operator switch
                {
                    "=" => candidate.Text == expected,
                    "!=" => candidate.Text != expected,
                    "<" => CompareBytes(candidate.Text, expected) < 0,
                    "<=" => CompareBytes(candidate.Text, expected) <= 0,
                    ">" => CompareBytes(candidate.Text, expected) > 0,
                    ">=" => CompareBytes(candidate.Text, expected) >= 0,
                    "%" => WildcardMatch.IsMatch(candidate.Text, expected),
                    "!%" => !WildcardMatch.IsMatch(candidate.Text, expected),
                    _ => false,
                },
                QueryKind.Number => CompareNumber(candidate.Number, ParseNumber(expected)),
                QueryKind.True => Operator switch
                {
                    "=" => expected == "true",
                    "!=" => expected != "true",
                    ">" => expected == "false",
                    ">=" => true,
                    _ => false,
                },
                QueryKind.False => Operator switch
                {
                    "=" => expected == "false",
                    "!=" => expected != "false",
                    "<" => expected == "true",
                    "<=" => true,
                    _ => false,
                },
                _ => false,
            };
        }

        private bool CompareNumber(double actual, double expected) => Operator switch
        {
            "=" => actual == expected,
            "!=" => actual != expected,
            "<" => actual < expected,
            "<=" => actual <= expected,
            ">" => actual > expected,
            ">=" => actual >= expected,
            _ => false,
        };

        // Go's strconv.ParseFloat yields 0 for text that is not a number.
        private static double ParseNumber(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : 0;

        // Go compares strings byte by byte (UTF-8), which is code point order.
        private static int CompareBytes(string left, string right) =>
            Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right));
    }

    private enum QueryKind
    {
        String,
        Number,
        True,
        False,
        Null,
        Json,
    }

    private sealed record QueryValue(QueryKind Kind, string Text, double Number)
    {
        public static QueryValue From(ReadOnlySpan<byte> raw)
        {
            var start = JsonSpans.SkipWhitespace(raw, 0);
            var value = raw[start..];
            return value[0] switch
            {
                (byte)'"' => new QueryValue(QueryKind.String, GoJson.Unescape(value[1..value.LastIndexOf((byte)'"')]), 0),
                (byte)'t' => new QueryValue(QueryKind.True, "", 0),
                (byte)'f' => new QueryValue(QueryKind.False, "", 0),
                (byte)'n' => new QueryValue(QueryKind.Null, "", 0),
                (byte)'{' or (byte)'[' => new QueryValue(QueryKind.Json, "", 0),
                _ => new QueryValue(QueryKind.Number, "", double.Parse(Encoding.ASCII.GetString(value).TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture)),
            };
        }

        public bool IsTrueish() => Kind switch
        {
            QueryKind.True => true,
            QueryKind.String => ParseGoBool(Text) == true,
            QueryKind.Number => Number != 0,
            _ => false,
        };

        public bool IsFalseish() => Kind switch
        {
            QueryKind.Null or QueryKind.False => true,
            QueryKind.String => ParseGoBool(Text) == false,
            QueryKind.Number => Number == 0,
            _ => false,
        };

        // strconv.ParseBool after strings.ToLower.
        private static bool? ParseGoBool(string text) => text.ToLowerInvariant() switch
        {
            "1" or "t" or "true" => true,
            "0" or "f" or "false" => false,
            _ => null,
        };
    }
}
