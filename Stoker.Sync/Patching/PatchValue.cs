using System.Text;
using System.Text.Json;

namespace Stoker.Sync.Patching;

// Type inference for a rendered patch value (docs/resource-reference.md, patches[].set), reproducing the Go agent, which decoded the
// value with json.Unmarshal into `any` and handed the result to sjson.Set:
// * JSON `true`/`false`/`null` stay as they are;
// * a JSON number becomes a float64, printed with the shortest digits and no exponent (`1e3` ⇒ `1000`);
// * a JSON string literal (`"\"quoted\""`) is stored as that string;
// * a JSON object or array is re-encoded compactly with sorted keys, as json.Marshal does;
// * anything else (`my-gateway`, `01`, ``, a number too large for a float64) is stored as the raw text.
// Strings are quoted verbatim unless they contain '"', '\', a control character or non-ASCII, in which
// case Go's escaping applies to the whole string (so `<`, `>`, `&` become \u003c, \u003e, \u0026).
public static class PatchValue
{
    // Decoding recurses; values nested deeper than this (Go allows 10000) are treated as plain text
    // rather than risking the stack.
    private const int MaxDepth = 1000;

    private static readonly JsonReaderOptions Options = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    public static string ToJsonLiteral(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        if (!TryDecode(rendered, out var value))
        {
            return GoJson.Stringify(rendered);
        }

        return value switch
        {
            string text => GoJson.Stringify(text),
            double number => GoJson.FormatFixed(number),
            bool flag => flag ? "true" : "false",
            null => "null",
            _ => Marshal(value),
        };
    }

    private static bool TryDecode(string rendered, out object? value)
    {
        value = null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(rendered), Options);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            if (!TryReadValue(ref reader, out value))
            {
                return false;
            }

            // Exactly one value: anything after it but whitespace makes the text a plain string.
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Go's decoding into `any`: objects become maps (a repeated key keeps its last value), numbers
    // float64 (one out of float64 range fails the whole decode), strings with lone surrogates get U+FFFD.
    private static bool TryReadValue(ref Utf8JsonReader reader, out object? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = ReadString(ref reader);
                    reader.Read();
                    if (!TryReadValue(ref reader, out var member))
                    {
                        return false;
                    }

                    members[key] = member;
                }

                value = members;
                return true;
            case JsonTokenType.StartArray:
                var elements = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryReadValue(ref reader, out var element))
                    {
                        return false;
                    }

                    elements.Add(element);
                }

                value = elements;
                return true;
            case JsonTokenType.String:
                value = ReadString(ref reader);
                return true;
            case JsonTokenType.Number:
                var number = double.Parse(reader.ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
                value = number;
                return double.IsFinite(number);
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            default:
                return true;
        }
    }

    private static string ReadString(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? GoJson.Unescape(reader.ValueSpan) : Encoding.UTF8.GetString(reader.ValueSpan);

    private static string Marshal(object? value)
    {
        var builder = new StringBuilder();
        AppendMarshalled(builder, value);
        return builder.ToString();
    }

    private static void AppendMarshalled(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case double number:
                builder.Append(GoJson.FormatForMarshal(number));
                break;
            case string text:
                GoJson.AppendMarshalled(builder, text);
                break;
            case List<object?> elements:
                builder.Append('[');
                for (var i = 0; i < elements.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    AppendMarshalled(builder, elements[i]);
                }

                builder.Append(']');
                break;
            case Dictionary<string, object?> members:
                builder.Append('{');
                var first = true;
                // Go sorts map keys as byte strings; ordinal UTF-8 order is code point order.
                foreach (var key in members.Keys.OrderBy(k => k, CodePointComparer.Instance))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    GoJson.AppendMarshalled(builder, key);
                    builder.Append(':');
                    AppendMarshalled(builder, members[key]);
                }

                builder.Append('}');
                break;
            default:
                throw new InvalidOperationException($"unexpected decoded value {value.GetType()}");
        }
    }
}
