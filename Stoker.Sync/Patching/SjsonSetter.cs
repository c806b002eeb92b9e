using System.Buffers;
using System.Text;

namespace Stoker.Sync.Patching;

// sjson's Set for a plain key path, byte for byte: an existing value is replaced in place and nothing
// else moves; a missing key or index is created the way sjson creates it (docs/resource-reference.md, patches[].set).
internal static class SjsonSetter
{
    // sjson pads a far-off index with nulls without limit; beyond this it is surely a mistake.
    public const long MaxPaddedIndex = 1_000_000;

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();
    private static readonly byte[] EmptyArray = "[]"u8.ToArray();

    public static byte[] Set(byte[] json, IReadOnlyList<SjsonSegment> path, string literal)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + literal.Length + 16);
        SetIn(output, json, path, 0, Encoding.UTF8.GetBytes(literal));
        return output.WrittenSpan.ToArray();
    }

    private static void SetIn(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> json, IReadOnlyList<SjsonSegment> path, int depth, byte[] literal)
    {
        if (TryFind(json, path[depth], out var found))
        {
            output.Write(json[..found.Start]);
            if (depth == path.Count - 1)
            {
                output.Write(literal);
            }
            else
            {
                SetIn(output, json.Slice(found.Start, found.Length), path, depth + 1, literal);
            }

            output.Write(json[found.End..]);
            return;
        }

        Create(output, json, path, depth, literal);
    }

    private static bool TryFind(ReadOnlySpan<byte> json, SjsonSegment segment, out JsonRange found)
    {
        found = default;
        return JsonSpans.Kind(json) switch
        {
            (byte)'{' => JsonSpans.TryFindMember(json, segment.Key, out found),
            (byte)'[' => SjsonSegment.TryParseDigits(segment.Key, out var index) && JsonSpans.TryFindElement(json, index, out found),
            _ => false,
        };
    }

    // The value `json` lacks the key: add it. A scalar standing where a container is needed is replaced
    // by an empty object (or array, for a numeric key), as sjson does.
    private static void Create(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> json, IReadOnlyList<SjsonSegment> path, int depth, byte[] literal)
    {
        var segment = path[depth];
        var numeric = segment.TryGetIndex(out var index);
        var start = JsonSpans.SkipWhitespace(json, 0);
        // Like sjson, the container's own text starts at its opening bracket: whitespace before it (at the
        // top of a file) is dropped, and so is anything after the closing bracket below.
        var container = start < json.Length && json[start] is (byte)'{' or (byte)'[' ? json[start..] : (numeric ? EmptyArray : EmptyObject);
        var comma = !JsonSpans.IsEmptyContainer(container);
        if (container[0] == '{')
        {
            output.Write(container[..container.LastIndexOf((byte)'}')]);
            if (comma)
            {
                output.Write(","u8);
            }

            Build(output, false, path, depth, literal);
            output.Write("}"u8);
            return;
        }

        if (!numeric && !segment.IsAppend)
        {
            throw new SjsonPathException($"cannot set array element for non-numeric key '{segment.Key}'");
        }

        if (!numeric)
        {
            // `-1`: keep the array's inner text and add the element before the final ']'.
            var trimmed = Trim(container);
            output.Write(trimmed[^1] == ']' ? trimmed[..^1] : trimmed);
            if (comma)
            {
                output.Write(","u8);
            }

            Build(output, true, path, depth, literal);
            output.Write("]"u8);
            return;
        }

        // An index at or past the end: sjson rewrites the array from its elements' raw text.
        var elements = JsonSpans.Elements(container);
        CheckPadding(index - elements.Count);
        output.Write("["u8);
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            output.Write(container.Slice(elements[i].Start, elements[i].Length));
        }

        if (elements.Count == 0)
        {
            Repeat(output, "null,"u8, index);
        }
        else
        {
            Repeat(output, ",null"u8, index - elements.Count);
            output.Write(","u8);
        }

        Build(output, true, path, depth, literal);
        output.Write("]"u8);
    }

    // sjson's appendBuild: the new member (or element) and whatever containers the rest of the path needs.
    private static void Build(ArrayBufferWriter<byte> output, bool inArray, IReadOnlyList<SjsonSegment> path, int depth, byte[] literal)
    {
        if (!inArray)
        {
            output.Write(Encoding.UTF8.GetBytes(GoJson.Stringify(path[depth].Key)));
            output.Write(":"u8);
        }

        if (depth == path.Count - 1)
        {
            output.Write(literal);
            return;
        }

        var next = path[depth + 1];
        if (next.TryGetIndex(out var index) || next.IsAppend)
        {
            CheckPadding(index);
            output.Write("["u8);
            Repeat(output, "null,"u8, index);
            Build(output, true, path, depth + 1, literal);
            output.Write("]"u8);
        }
        else
        {
            output.Write("{"u8);
            Build(output, false, path, depth + 1, literal);
            output.Write("}"u8);
        }
    }

    private static void CheckPadding(long count)
    {
        if (count > MaxPaddedIndex)
        {
            throw new SjsonPathException(
                $"array index is {count} elements past the end of the array; at most {MaxPaddedIndex} null elements are added as padding");
        }
    }

    private static void Repeat(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> text, long count)
    {
        for (long i = 0; i < count; i++)
        {
            output.Write(text);
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        // sjson's trim drops every byte <= ' ', not only JSON whitespace; outside a string they are the same.
        var start = 0;
        while (start < text.Length && text[start] <= ' ')
        {
            start++;
        }

        var end = text.Length;
        while (end > start && text[end - 1] <= ' ')
        {
            end--;
        }

        return text[start..end];
    }
}
