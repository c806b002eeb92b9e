using System.Text;
using System.Text.Json;

namespace Stoker.Sync.Patching;

// Applies a patch's `set` entries to one JSON file's text with tidwall/sjson's behaviour (agent.md
// §10.3–10.4): an existing value is replaced in place and every other byte is kept; a missing key is
// appended as the last member of its object; missing intermediate keys are created (as arrays when the
// next key is numeric or `-1`); `-1` appends to an array; an index past the end pads with nulls; a key
// with gjson query characters only replaces values that already exist.
// Deliberate differences from the Go agent: a UTF-8 byte order mark is accepted and kept (Go's json.Valid
// rejects it); an empty key (`a..b`, `a.`) or a trailing lone `\` is an error instead of a "" key or a
// dropped backslash; padding past 1,000,000 nulls is refused.
public static class JsonPatcher
{
    private const char ByteOrderMark = '\uFEFF';

    // Entries are applied in the order given (Go iterated a map, so its order was random; callers pass
    // the keys in a stable order). A document is checked before every entry, as the original did.
    public static string Apply(string json, IEnumerable<KeyValuePair<string, string>> set, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(fileName);

        var hasBom = json.Length > 0 && json[0] == ByteOrderMark;
        var bytes = Encoding.UTF8.GetBytes(hasBom ? json[1..] : json);
        var changed = false;
        foreach (var (path, rendered) in set)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(rendered);
            EnsureValid(bytes, fileName, path);
            bytes = SetValue(bytes, path, PatchValue.ToJsonLiteral(rendered), fileName);
            changed = true;
        }

        if (!changed)
        {
            return json;
        }

        var text = Encoding.UTF8.GetString(bytes);
        return hasBom ? ByteOrderMark + text : text;
    }

    // sjson's SetRaw without the validity check Apply makes first (sjson itself accepts any text, an
    // empty one included); the conformance tests run sjson's own table through it.
    internal static string SetRaw(string json, string path, string literal) =>
        Encoding.UTF8.GetString(SetValue(Encoding.UTF8.GetBytes(json), path, literal, "json"));

    private static byte[] SetValue(byte[] json, string path, string literal, string fileName)
    {
        try
        {
            var segments = SjsonPath.Parse(path);
            return segments is null ? ReplaceQueryMatches(json, path, literal) : SjsonSetter.Set(json, segments, literal);
        }
        catch (SjsonPathException e)
        {
            throw new JsonPatchException($"{fileName}: cannot set path \"{path}\": {e.Message}", fileName, path, e);
        }
    }

    private static byte[] ReplaceQueryMatches(byte[] json, string path, string literal)
    {
        var targets = GjsonQuery.FindTargets(json, path);
        if (targets.Count == 0)
        {
            return json;
        }

        var replacement = Encoding.UTF8.GetBytes(literal);
        var output = new List<byte>(json.Length + (targets.Count * replacement.Length));
        var position = 0;
        foreach (var target in targets.OrderBy(t => t.Start))
        {
            output.AddRange(json.AsSpan(position, target.Start - position));
            output.AddRange(replacement);
            position = target.End;
        }

        output.AddRange(json.AsSpan(position));
        return [.. output];
    }

    private static void EnsureValid(byte[] json, string fileName, string path)
    {
        var reader = new Utf8JsonReader(json, JsonSpans.ReaderOptions);
        try
        {
            while (reader.Read())
            {
            }

            if (reader.BytesConsumed == 0 || JsonSpans.SkipWhitespace(json, 0) == json.Length)
            {
                throw new JsonException("The file is empty.");
            }
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            var column = CharacterColumn(json, line, (int)(e.BytePositionInLine ?? 0));
            var detail = e.Message;
            var positionText = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (positionText >= 0)
            {
                detail = detail[..positionText];
            }

            throw new JsonPatchException(
                $"{fileName}: file is not valid JSON (line {line + 1}, column {column}): {detail}", fileName, path, e);
        }
    }

    // The reader counts bytes within the line; users count characters.
    private static int CharacterColumn(byte[] json, int line, int bytePosition)
    {
        var lineStart = 0;
        for (var i = 0; i < line && lineStart < json.Length; i++)
        {
            var next = Array.IndexOf(json, (byte)'\n', lineStart);
            lineStart = next < 0 ? json.Length : next + 1;
        }

        var length = Math.Clamp(bytePosition, 0, json.Length - lineStart);
        return Encoding.UTF8.GetCharCount(json, lineStart, length) + 1;
    }
}
