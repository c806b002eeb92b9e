using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>
/// Reads GatewaySync resources from the YAML or JSON that <c>kubectl apply</c> takes and writes them back.
/// Reading applies the CRD's structural defaults and checks, then the semantic rules of
/// <see cref="GatewaySyncValidator"/>, and reports every violation at once.
/// </summary>
public static class GatewaySyncSerializer
{
    /// <summary>Parses one resource. Malformed text is reported as a violation of the document, not thrown.</summary>
    public static GatewaySyncParseResult Parse(string text)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlJson.ReadAll(text);
        }
        catch (ResourceFormatException e)
        {
            return Refused("(document)", e.Message);
        }

        return documents.Count == 1
            ? FromNode(documents[0])
            : Refused("(document)", documents.Count == 0 ? "the document is empty" : $"expected one resource, found {documents.Count} documents");
    }

    /// <summary>Parses every document of a multi-document YAML stream (<c>---</c> separated), or a <c>List</c>.</summary>
    /// <param name="skip">Documents (or List items) this returns true for are left out, e.g. the Secrets beside a GatewaySync.</param>
    public static IReadOnlyList<GatewaySyncParseResult> ParseAll(string text, Func<JsonNode, bool>? skip = null)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlJson.ReadAll(text);
        }
        catch (ResourceFormatException e)
        {
            return [Refused("(document)", e.Message)];
        }

        return documents
            // kind may be anything in a hostile text ("kind: [x]"): only a string naming a List is one (found by the fuzz test).
            .SelectMany(d => d is JsonObject o && o["kind"] is JsonValue kind && kind.TryGetValue<string>(out var kindName)
                && kindName.EndsWith("List", StringComparison.Ordinal) && o["items"] is JsonArray items
                ? items.Select(i => i ?? JsonValue.Create("null")!)
                : [d])
            .Where(d => skip is null || !skip(d))
            .Select(FromNode)
            .ToList();
    }

    /// <summary>Validates and defaults an untyped resource (the node is not modified).</summary>
    public static GatewaySyncParseResult FromNode(JsonNode node)
    {
        // Trees from YamlJson are within the bound already; any other caller's must be too before the recursive
        // clone, schema walk and rendering below.
        if (ResourceLimits.IsTooDeep(node))
        {
            return Refused("(document)", ResourceLimits.DepthRule);
        }

        if (node is not JsonObject original)
        {
            return Refused("(document)", "a resource must be a mapping/object, found " + StructuralValidator.Render(node));
        }

        var obj = original.DeepClone().AsObject();
        var violations = new List<ResourceViolation>();
        CheckTypeMeta(obj, violations);
        violations.AddRange(StructuralValidator.ValidateAndDefault(obj, CrdSchema.GatewaySync.OpenApiV3Schema));

        // Drop what the schema rejected so that the semantic rules still run on the rest: every violation at once.
        var rejected = violations.Select(v => v.Field).ToHashSet(StringComparer.Ordinal);
        foreach (var field in rejected)
        {
            FieldPath.Remove(obj, field);
        }

        GatewaySync? resource = null;
        try
        {
            resource = obj.Deserialize<GatewaySync>(ResourceJson.Options);
        }
        catch (JsonException e) when (violations.Count > 0)
        {
            // The structural checks already named what made the object unreadable (a rejected array item).
            _ = e;
        }
        catch (JsonException e)
        {
            violations.Add(new((e.Path ?? "$").TrimStart('$', '.'), null, e.Message));
        }

        if (resource is not null)
        {
            // One report per field: a value the schema rejected is not judged again by the semantic rules.
            violations.AddRange(GatewaySyncValidator.Validate(resource).Where(v => !rejected.Contains(v.Field)));
        }

        return new(violations.Count == 0 ? resource : null, violations);
    }

    public static string ToJson(GatewaySync resource, bool indented = false) =>
        JsonSerializer.Serialize(resource, indented ? ResourceJson.Indented : ResourceJson.Options);

    public static JsonObject ToNode(GatewaySync resource) =>
        JsonSerializer.SerializeToNode(resource, ResourceJson.Options)!.AsObject();

    public static string ToYaml(GatewaySync resource) => YamlJson.Write(ToNode(resource));

    private static void CheckTypeMeta(JsonObject obj, List<ResourceViolation> violations)
    {
        CheckConstant(obj, "apiVersion", GatewaySync.ApiVersionValue, violations);
        CheckConstant(obj, "kind", GatewaySync.KindValue, violations);
    }

    private static void CheckConstant(JsonObject obj, string field, string expected, List<ResourceViolation> violations)
    {
        var node = obj[field];
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text) || text != expected)
        {
            violations.Add(new(field, node is null ? null : StructuralValidator.Render(node), $"must be \"{expected}\""));
        }
    }

    private static GatewaySyncParseResult Refused(string field, string rule) => new(null, [new ResourceViolation(field, null, rule)]);
}
