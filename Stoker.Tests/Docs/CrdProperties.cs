using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Docs;

/// <summary>
/// Every property path of the shipped CRD's <c>openAPIV3Schema</c>, as the reference writes them: object members
/// joined with <c>.</c>, array items as <c>[]</c>, map values as <c>.&lt;name&gt;</c>
/// (<c>spec.sync.profiles.&lt;name&gt;.mappings[].source</c>), with what the reference must say about each.
/// </summary>
internal static class CrdProperties
{
    public const string MapKey = "<name>";

    /// <summary>The CRD file of the checkout, read as a Kubernetes API server would get it.</summary>
    public static CrdSchema LoadFromCheckout()
    {
        var text = File.ReadAllText(Checkout.Combine("k8s", "crd", "gatewaysyncs.stoker.io.yaml"));
        return new CrdSchema(JsonNode.Parse(YamlJson.ReadOne(text).ToJsonString())!.AsObject());
    }

    public static IReadOnlyList<Property> All(CrdSchema crd)
    {
        var properties = new List<Property>();
        Members(crd.OpenApiV3Schema, "", properties);
        return properties;
    }

    /// <summary>How the reference writes a schema's type: <c>string</c>, <c>int32</c>, <c>[]object</c>, <c>map[string]string</c>, …</summary>
    public static string TypeOf(JsonObject schema)
    {
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            return "int-or-string";
        }

        return (string?)schema["type"] switch
        {
            "string" => (string?)schema["format"] == "date-time" ? "string (date-time)" : "string",
            "integer" => (string?)schema["format"] ?? "integer",
            "boolean" => "boolean",
            "number" => "number",
            "array" => "[]" + (schema["items"] is JsonObject items ? TypeOf(items) : "any"),
            "object" => schema["additionalProperties"] is JsonObject values ? "map[string]" + TypeOf(values) : "object",
            var other => other ?? "any",
        };
    }

    /// <summary>The default as the reference's Default column shows it: <c>`60s`</c>, <c>`8088`</c>, <c>`["a","b"]`</c>.</summary>
    public static string? DefaultOf(JsonObject schema) => schema["default"] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => $"`{value.GetValue<string>()}`",
        var other => $"`{other.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })}`",
    };

    /// <summary>What the Rules column must mention for the schema's constraints.</summary>
    public static IReadOnlyList<string> RuleWords(JsonObject schema, bool required)
    {
        var words = new List<string>();
        if (required)
        {
            words.Add("required");
        }

        if (schema["minLength"] is JsonValue minLength)
        {
            words.Add($"min length {Number(minLength)}");
        }

        if (schema["minimum"] is JsonValue minimum)
        {
            words.Add($"min {Number(minimum)}");
        }

        if (schema["maximum"] is JsonValue maximum)
        {
            words.Add($"max {Number(maximum)}");
        }

        if (schema["minItems"] is JsonValue minItems)
        {
            words.Add($"min {Number(minItems)} item");
        }

        if (schema["minProperties"] is JsonValue minProperties)
        {
            words.Add($"min {Number(minProperties)} entr");
        }

        if (schema["enum"] is JsonArray values)
        {
            words.AddRange(values.Select(v => $"`{(string?)v}`"));
        }

        if (schema["pattern"] is not null)
        {
            words.Add("pattern");
        }

        if ((string?)schema["x-kubernetes-list-type"] == "map")
        {
            words.AddRange(schema["x-kubernetes-list-map-keys"]!.AsArray().Select(k => $"list keyed by `{(string?)k}`"));
        }

        if (schema["additionalProperties"] is JsonObject additional && additional["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            words.Add("integer or string");
        }

        return words;
    }

    private static void Members(JsonObject schema, string path, List<Property> properties)
    {
        if (schema["properties"] is JsonObject members)
        {
            var required = schema["required"]?.AsArray().Select(r => (string?)r).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var (name, child) in members)
            {
                var childPath = path.Length == 0 ? name : path + "." + name;
                var childSchema = child!.AsObject();
                properties.Add(new Property(childPath, childSchema, required.Contains(name)));
                Nested(childSchema, childPath, properties);
            }
        }
    }

    private static void Nested(JsonObject schema, string path, List<Property> properties)
    {
        switch ((string?)schema["type"])
        {
            case "object":
                Members(schema, path, properties);
                if (schema["additionalProperties"] is JsonObject values)
                {
                    Nested(values, path + "." + MapKey, properties);
                }

                break;
            case "array" when schema["items"] is JsonObject items:
                Nested(items, path + "[]", properties);
                break;
        }
    }

    private static string Number(JsonValue value) =>
        decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    internal sealed record Property(string Path, JsonObject Schema, bool Required);
}
