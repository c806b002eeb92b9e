using System.Text.Json;

namespace Stoker.Sync.Patching;

// Locates values inside JSON text by byte offsets, so that a patch can splice new bytes in and leave
// every other byte of the file as it was. Written on Utf8JsonReader because no served library edits JSON
// in place: System.Text.Json's JsonNode/JsonDocument, Newtonsoft's JToken and the JSON Patch packages all
// parse into a tree and re-serialise it, losing the file's formatting (and, for JsonNode, duplicate keys).
// All offsets are relative to the span passed in; the span must hold one complete, valid JSON value
// (optionally surrounded by whitespace), which the caller has checked.
internal static class JsonSpans
{
    // Go's scanner allows 10000 levels of nesting; System.Text.Json's default is 64.
    public const int MaxDepth = 10_000;

    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
    };

    public static int SkipWhitespace(ReadOnlySpan<byte> json, int index)
    {
        while (index < json.Length && IsWhitespace(json[index]))
        {
            index++;
        }

        return index;
    }

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    // The first byte of the value: '{', '[', '"', 't', 'f', 'n' or a number's first character.
    // The first non-whitespace byte, or 0 for a blank text (sjson treats blank input as no value).
    public static byte Kind(ReadOnlySpan<byte> json)
    {
        var start = SkipWhitespace(json, 0);
        return start < json.Length ? json[start] : (byte)0;
    }

    public static bool IsContainer(ReadOnlySpan<byte> json)
    {
        var start = SkipWhitespace(json, 0);
        return start < json.Length && json[start] is (byte)'{' or (byte)'[';
    }

    // Members of the object in `json`, in document order (duplicates included).
    public static List<JsonMember> Members(ReadOnlySpan<byte> json)
    {
        var members = new List<JsonMember>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? GoJson.Unescape(reader.ValueSpan) : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            reader.Read();
            members.Add(new JsonMember(name, ValueRange(ref reader)));
        }

        return members;
    }

    // Elements of the array in `json`, in order.
    public static List<JsonRange> Elements(ReadOnlySpan<byte> json)
    {
        var elements = new List<JsonRange>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            elements.Add(ValueRange(ref reader));
        }

        return elements;
    }

    public static bool TryFindMember(ReadOnlySpan<byte> json, string key, out JsonRange range)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var matches = reader.ValueIsEscaped
                ? GoJson.Unescape(reader.ValueSpan) == key
                : reader.ValueTextEquals(key);
            reader.Read();
            if (matches)
            {
                // The first member with the key wins, as in gjson.
                range = ValueRange(ref reader);
                return true;
            }

            reader.Skip();
        }

        range = default;
        return false;
    }

    public static bool TryFindElement(ReadOnlySpan<byte> json, long index, out JsonRange range)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        for (long i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                range = ValueRange(ref reader);
                return true;
            }

            reader.Skip();
        }

        range = default;
        return false;
    }

    // Whether the object or array in `json` has no members/elements.
    public static bool IsEmptyContainer(ReadOnlySpan<byte> json)
    {
        var open = SkipWhitespace(json, 0);
        var next = SkipWhitespace(json, open + 1);
        return json[next] is (byte)'}' or (byte)']';
    }

    // The reader is on the first token of a value; leaves it on the value's last token.
    private static JsonRange ValueRange(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return new JsonRange(start, (int)reader.BytesConsumed - start);
    }
}
