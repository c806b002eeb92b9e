using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>
/// Converts between YAML documents and <see cref="JsonNode"/> trees the way <c>kubectl</c> does before it sends
/// JSON to the API server. YamlDotNet parses and emits; the scalar typing (YAML 1.2 core schema: <c>true</c>,
/// <c>null</c>, integers and floats are typed, everything else is a string) is ours, because YamlDotNet's object
/// mapper would bind to CLR types and lose the untyped tree the schema validator needs.
/// </summary>
public static partial class YamlJson
{
    /// <summary>
    /// Reads every document of a YAML (or JSON, which is YAML) stream. Empty documents are skipped. A text beyond
    /// <see cref="ResourceLimits"/> (length, documents, nesting, string length, values including alias copies) is
    /// refused as malformed.
    /// </summary>
    public static IReadOnlyList<JsonNode> ReadAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > ResourceLimits.MaxTextLength)
        {
            throw new ResourceFormatException(string.Create(CultureInfo.InvariantCulture,
                $"the text is longer than {ResourceLimits.MaxTextLength} characters (the limit for a resource)"));
        }

        var documents = new List<JsonNode>();
        var parser = new Parser(new StringReader(text));
        var reader = new YamlTreeReader(parser, ScalarToNode);
        try
        {
            parser.Consume<StreamStart>();
            var count = 0;
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                if (++count > ResourceLimits.MaxDocuments)
                {
                    throw new YamlException(start.Start, start.End, string.Create(CultureInfo.InvariantCulture,
                        $"more than {ResourceLimits.MaxDocuments} documents (the limit for a resource text)"));
                }

                var node = parser.Accept<DocumentEnd>(out _) ? null : reader.ReadDocument();
                parser.Consume<DocumentEnd>();
                if (node is not null)
                {
                    documents.Add(node);
                }
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw new ResourceFormatException(Innermost(e).Message, e.End.Line, e.End.Column, e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // YamlDotNet refuses some malformed input outside its own exception type (found by the fuzz test): a tag
            // such as "!!1b]" that is no URI throws ArgumentException, and some broken plain scalars in a flow
            // sequence InvalidOperationException from the scanner. Either is malformed text, not a server error.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new ResourceFormatException(e.Message.Split(" (Parameter", 2)[0], at.Line, at.Column, e);
        }

        return documents;
    }

    /// <summary>Reads exactly one document.</summary>
    public static JsonNode ReadOne(string text)
    {
        var documents = ReadAll(text);
        return documents.Count switch
        {
            1 => documents[0],
            0 => throw new ResourceFormatException("the document is empty"),
            _ => throw new ResourceFormatException($"expected one document, found {documents.Count}"),
        };
    }

    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        var emitter = new Emitter(new StringWriter(builder, CultureInfo.InvariantCulture));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        WriteNode(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return builder.ToString();
    }

    private static JsonNode? ScalarToNode(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return scalar.Tag.IsEmpty || scalar.Tag.Value == "tag:yaml.org,2002:str" ? JsonValue.Create(text) : TypedScalar(scalar);
        }

        return PlainScalar(text);
    }

    private static JsonNode? TypedScalar(Scalar scalar) => scalar.Tag.Value switch
    {
        "tag:yaml.org,2002:null" => null,
        "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" => PlainScalar(scalar.Value),
        _ => JsonValue.Create(scalar.Value),
    };

    private static JsonNode? PlainScalar(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? JsonValue.Create(integer)
                : NumberAsWritten(text);
        }

        if (FloatPattern().IsMatch(text))
        {
            // 1e400 parses as infinity, which JSON cannot carry (writing it throws): keep such numbers as written.
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
                ? JsonValue.Create(real)
                : NumberAsWritten(text);
        }

        return JsonValue.Create(text);
    }

    /// <summary>
    /// A number no long or finite double holds, kept as its digits (a JSON number of any size, as JSON bodies would
    /// carry it): the schema then refuses it naming the field, the value and the range, instead of the infinity or the
    /// rounded value failing somewhere later.
    /// </summary>
    private static JsonValue NumberAsWritten(string text)
    {
        // YAML allows +1, .5, 1. and 007.5; JSON does not: the same number in JSON's spelling.
        var json = text.TrimStart('+');
        var sign = json.StartsWith('-') ? "-" : "";
        json = json[sign.Length..].TrimStart('0');
        json = json.Length == 0 || !char.IsAsciiDigit(json[0]) ? "0" + json : json;
        json = json.Replace(".e", ".0e", StringComparison.OrdinalIgnoreCase).Replace(".E", ".0E", StringComparison.Ordinal);
        json = json.EndsWith('.') ? json + "0" : json;
        return JsonNode.Parse(sign + json)!.AsValue();
    }

    /// <summary>
    /// True when a plain YAML scalar with this text would not read back as the same string, here or in a YAML 1.1
    /// reader such as kubectl's (where <c>yes</c>, <c>on</c>, <c>0x1F</c>, <c>1_000</c> and dates are not strings).
    /// </summary>
    private static bool NeedsQuotes(string text) =>
        PlainScalar(text) is not JsonValue value || value.GetValueKind() != JsonValueKind.String
        || Yaml11Typed().IsMatch(text)
        || text.Trim() != text || text.Contains('\n', StringComparison.Ordinal);

    private static void WriteNode(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, child) in obj)
                {
                    WriteString(emitter, key);
                    WriteNode(emitter, child);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    WriteNode(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(emitter, value.GetValue<string>());
                break;
            default:
                emitter.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) && text.Trim() == text ? ScalarStyle.Literal
            : NeedsQuotes(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static Exception Innermost(Exception e) => e.InnerException is YamlException inner ? Innermost(inner) : e;

    [GeneratedRegex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?0[xob][0-9a-fA-F_]+"
        + @"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml11Typed();

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
