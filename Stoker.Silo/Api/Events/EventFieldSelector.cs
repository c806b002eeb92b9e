using System.Text;

namespace Stoker.Silo.Api.Events;

/// <summary>
/// A Kubernetes field selector over Events (<c>involvedObject.name=x,type!=Normal</c>): terms joined by commas, each
/// <c>=</c>, <c>==</c> or <c>!=</c>, with <c>\</c> escaping <c>\ , =</c> in values as client-go's
/// <c>fields.EscapeValue</c> does. Only the fields the API server supports for Events are accepted; anything else is
/// refused with the API server's message. Bounded: a long or many-termed selector is refused unread.
/// </summary>
public sealed class EventFieldSelector
{
    public const int MaxLength = 4096;
    public const int MaxTerms = 32;

    /// <summary>The field labels the API server knows for core/v1 Events.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(StringComparer.Ordinal)
    {
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type", "metadata.name",
        "metadata.namespace",
    };

    private EventFieldSelector(IReadOnlyList<EventFieldTerm> terms) => Terms = terms;

    public static EventFieldSelector Everything { get; } = new([]);

    public IReadOnlyList<EventFieldTerm> Terms { get; }

    /// <summary>The value a term requires the field to equal, if one does.</summary>
    public string? RequiredValue(string field) => Terms.FirstOrDefault(t => t.Field == field && !t.Negated)?.Value;

    public bool Matches(Func<string, string> field) => Terms.All(t => (field(t.Field) == t.Value) != t.Negated);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> is the API server's wording.</summary>
    public static EventFieldSelector? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return Everything;
        }

        if (text.Length > MaxLength)
        {
            error = $"invalid field selector: longer than {MaxLength} characters";
            return null;
        }

        var terms = new List<EventFieldTerm>();
        foreach (var raw in Split(text))
        {
            if (raw.Length == 0)
            {
                continue;
            }

            if (terms.Count == MaxTerms)
            {
                error = $"invalid field selector: more than {MaxTerms} terms";
                return null;
            }

            if (ParseTerm(raw) is not { } term)
            {
                error = $"invalid selector: '{text}'; can't understand '{raw}'";
                return null;
            }

            if (!Fields.Contains(term.Field))
            {
                error = $"field label not supported: {term.Field}";
                return null;
            }

            terms.Add(term);
        }

        return new EventFieldSelector(terms);
    }

    /// <summary>Splits at commas not escaped by a backslash, keeping the escapes for <see cref="ParseTerm"/>.</summary>
    private static IEnumerable<string> Split(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static EventFieldTerm? ParseTerm(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\')
            {
                return null;
            }

            var (negated, width) = raw[i] switch
            {
                '!' when i + 1 < raw.Length && raw[i + 1] == '=' => (true, 2),
                '=' when i + 1 < raw.Length && raw[i + 1] == '=' => (false, 2),
                '=' => (false, 1),
                _ => (false, 0),
            };
            if (width == 0)
            {
                continue;
            }

            var field = raw[..i].Trim();
            return field.Length == 0 || Unescape(raw[(i + width)..]) is not { } value ? null : new EventFieldTerm(field, value, negated);
        }

        return null;
    }

    /// <summary>The value with its escapes undone; null for a stray backslash or an unescaped <c>=</c>.</summary>
    private static string? Unescape(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (ch == '\\')
            {
                if (i + 1 == value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    return null;
                }

                builder.Append(value[++i]);
            }
            else if (ch == '=')
            {
                return null;
            }
            else
            {
                builder.Append(ch);
            }
        }

        return builder.ToString();
    }
}
