using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>
/// Builds <see cref="JsonNode"/> trees from YamlDotNet's parser events within <see cref="ResourceLimits"/>: the
/// parser is event based and keeps its own stack, so the only recursion is here, bounded by
/// <see cref="ResourceLimits.MaxDepth"/>; alias expansion is charged to the stream's value budget before any copy is
/// made, so an alias bomb is refused after reading a few hundred bytes rather than after gigabytes of copies.
/// </summary>
internal sealed class YamlTreeReader(IParser parser, Func<Scalar, JsonNode?> scalarToNode)
{
    private readonly Dictionary<string, YamlAnchor> _anchors = new(StringComparer.Ordinal);
    private int _values;

    /// <summary>Reads the next document's root; anchors do not carry from one document to the next.</summary>
    public JsonNode? ReadDocument()
    {
        _anchors.Clear();
        return Read(0, out _);
    }

    /// <param name="depth">How many mappings and sequences enclose this node.</param>
    /// <param name="height">How many levels of mappings and sequences the node adds (0 for a scalar).</param>
    private JsonNode? Read(int depth, out int height)
    {
        var start = parser.Current!;
        var valuesBefore = _values;
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias \"{alias.Value}\"");
            }

            CheckDepth(alias, depth + target.Height);
            Charge(alias, target.Values);
            height = target.Height;
            return target.Node?.DeepClone();
        }

        Charge(start, 1);
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            if (scalar.Value.Length > ResourceLimits.MaxStringLength)
            {
                throw new YamlException(scalar.Start, scalar.End, string.Create(CultureInfo.InvariantCulture,
                    $"a string of {scalar.Value.Length} characters is longer than {ResourceLimits.MaxStringLength} (the limit for a resource)"));
            }

            if (UnpairedSurrogate(scalar.Value) is { } at)
            {
                // An escape such as "\ud800" yields half a character: no UTF-8 encodes it, and writing it back fails.
                throw new YamlException(scalar.Start, scalar.End, string.Create(CultureInfo.InvariantCulture,
                    $"a string holds half a surrogate pair (\\u{(int)scalar.Value[at]:X4} at character {at + 1}): not Unicode text"));
            }

            var value = scalarToNode(scalar);
            height = 0;
            Remember(scalar.Anchor, value, valuesBefore, height);
            return value;
        }

        CheckDepth(start, depth + 1);
        var deepest = 0;
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(Read(depth + 1, out var itemHeight));
                deepest = Math.Max(deepest, itemHeight);
            }

            height = deepest + 1;
            Remember(sequenceStart.Anchor, array, valuesBefore, height);
            return array;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var obj = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current!;
            var key = Read(depth + 1, out _);
            if (key is not JsonValue keyValue)
            {
                throw new YamlException(keyEvent.Start, keyEvent.End, "mapping keys must be scalars");
            }

            var name = keyValue.GetValueKind() == JsonValueKind.String ? keyValue.GetValue<string>() : keyValue.ToJsonString();
            if (obj.ContainsKey(name))
            {
                throw new YamlException(keyEvent.Start, keyEvent.Start, $"mapping key \"{name}\" already defined");
            }

            obj[name] = Read(depth + 1, out var valueHeight);
            deepest = Math.Max(deepest, valueHeight);
        }

        height = deepest + 1;
        Remember(mappingStart.Anchor, obj, valuesBefore, height);
        return obj;
    }

    /// <summary>The index of the first surrogate that is not half of a pair, or null.</summary>
    private static int? UnpairedSurrogate(string text)
    {
        for (var i = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return null;
    }

    private void Remember(AnchorName anchor, JsonNode? node, int valuesBefore, int height)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = new YamlAnchor(node, _values - valuesBefore, height);
        }
    }

    private static void CheckDepth(ParsingEvent at, int levels)
    {
        if (levels > ResourceLimits.MaxDepth)
        {
            throw new YamlException(at.Start, at.End, ResourceLimits.DepthRule);
        }
    }

    private void Charge(ParsingEvent at, int values)
    {
        // Compared before adding: a bomb's counts could otherwise overflow the counter itself.
        if (values > ResourceLimits.MaxValues - _values)
        {
            throw new YamlException(at.Start, at.End, string.Create(CultureInfo.InvariantCulture,
                $"more than {ResourceLimits.MaxValues} values, counting the copies aliases make (the limit for a resource)"));
        }

        _values += values;
    }
}
