using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>
/// Applies a CRD structural schema to an untyped resource the way the API server does: structural defaults
/// first (only inside objects that are present), then type, required, enum, bound and unknown-field checks.
/// Every violation is collected; nothing stops at the first. Hand-written because the JSON Schema libraries
/// served here neither apply OpenAPI defaults nor know Kubernetes' int-or-string and ObjectMeta rules.
/// </summary>
public static class StructuralValidator
{
    /// <summary>ObjectMeta fields a client may send; server-managed extras are dropped, anything else is unknown.</summary>
    private static readonly HashSet<string> MetadataFields =
        ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "labels", "annotations", "finalizers", "managedFields"];

    // managedFields is kept (server-side apply reads it; docs/kubectl-writes.md); selfLink is gone from Kubernetes.
    private static readonly HashSet<string> DroppedMetadataFields = ["selfLink"];

    private const string FitsInt32 = "must fit in a 32-bit integer";
    private const string FitsInt64 = "must fit in a 64-bit integer";

    /// <summary>Defaults <paramref name="resource"/> in place and returns every schema violation.</summary>
    public static IReadOnlyList<ResourceViolation> ValidateAndDefault(JsonObject resource, JsonObject schema)
    {
        var violations = new List<ResourceViolation>();
        if (resource["metadata"] is JsonObject metadata)
        {
            CheckMetadata(metadata, violations);
        }

        Walk(resource, schema, "", violations, isRoot: true);
        return violations;
    }

    private static void Walk(JsonNode? node, JsonObject schema, string path, List<ResourceViolation> violations, bool isRoot = false)
    {
        if (node is null)
        {
            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (node is not JsonValue v || (v.GetValueKind() != JsonValueKind.String && !IsInteger(v)))
            {
                violations.Add(new(path, Render(node), "must be an integer or a string"));
            }

            return;
        }

        switch ((string?)schema["type"])
        {
            case "object":
                if (node is JsonObject obj)
                {
                    WalkObject(obj, schema, path, violations, isRoot);
                }
                else
                {
                    violations.Add(new(path, Render(node), "must be of type object"));
                }

                break;
            case "array":
                if (node is JsonArray array)
                {
                    WalkArray(array, schema, path, violations);
                }
                else
                {
                    violations.Add(new(path, Render(node), "must be of type array"));
                }

                break;
            case "string":
                CheckString(node, schema, path, violations);
                break;
            case "integer":
                CheckInteger(node, schema, path, violations);
                break;
            case "number":
                if (node is not JsonValue n || n.GetValueKind() != JsonValueKind.Number)
                {
                    violations.Add(new(path, Render(node), "must be of type number"));
                }

                break;
            case "boolean":
                if (node is not JsonValue b || b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    violations.Add(new(path, Render(node), "must be of type boolean"));
                }

                break;
        }
    }

    private static void WalkObject(JsonObject obj, JsonObject schema, string path, List<ResourceViolation> violations, bool isRoot)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;

        // An explicit null reads as "absent", so that defaults apply to it as they would to a missing field.
        foreach (var key in obj.Where(p => p.Value is null && properties?.ContainsKey(p.Key) == true).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }

        if (properties is not null)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (!obj.ContainsKey(name) && propertySchema?["default"] is { } defaultValue)
                {
                    obj[name] = defaultValue.DeepClone();
                }
            }
        }

        foreach (var (key, child) in obj.ToList())
        {
            var childPath = FieldPath.Child(path, key);
            if (properties?[key] is JsonObject propertySchema)
            {
                if (!(isRoot && key == "metadata"))
                {
                    Walk(child, propertySchema, childPath, violations);
                }
            }
            else if (additional is not null)
            {
                if (child is null)
                {
                    violations.Add(new(childPath, "null", "must not be null"));
                }
                else
                {
                    Walk(child, additional, childPath, violations);
                }
            }
            else if (!preserveUnknown)
            {
                var known = properties is null ? "none" : string.Join(", ", properties.Select(p => p.Key));
                violations.Add(new(childPath, null, $"unknown field \"{key}\" (known fields: {known})"));
            }
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string)r!).Where(name => !obj.ContainsKey(name)))
            {
                violations.Add(new(FieldPath.Child(path, name), null, "Required value"));
            }
        }

        if (schema["minProperties"] is JsonValue minProperties && obj.Count < Number(minProperties))
        {
            violations.Add(new(path, Render(obj), $"must have at least {minProperties} entr{(Number(minProperties) == 1 ? "y" : "ies")}"));
        }
    }

    private static void WalkArray(JsonArray array, JsonObject schema, string path, List<ResourceViolation> violations)
    {
        if (schema["minItems"] is JsonValue minItems && array.Count < Number(minItems))
        {
            violations.Add(new(path, Render(array), $"must have at least {minItems} item{(Number(minItems) == 1 ? "" : "s")}"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is null)
                {
                    violations.Add(new(FieldPath.Index(path, i), "null", "must not be null"));
                    continue;
                }

                Walk(array[i], items, FieldPath.Index(path, i), violations);
            }
        }
    }

    private static void CheckString(JsonNode node, JsonObject schema, string path, List<ResourceViolation> violations)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            violations.Add(new(path, Render(node), "must be of type string"));
            return;
        }

        var text = value.GetValue<string>();
        if (schema["minLength"] is JsonValue minLength && text.Length < Number(minLength))
        {
            violations.Add(new(path, Render(node), $"must be at least {minLength} character{(Number(minLength) == 1 ? "" : "s")} long"));
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => (string?)a == text))
        {
            violations.Add(new(path, Render(node), "must be one of " + string.Join(", ", allowed.Select(a => Render(a)))));
        }

        if (schema["pattern"] is JsonValue pattern
            && !System.Text.RegularExpressions.Regex.IsMatch(text, pattern.GetValue<string>(), System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            violations.Add(new(path, Render(node), $"must match the pattern {pattern}"));
        }

        if ((string?)schema["format"] == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            violations.Add(new(path, Render(node), "must be an RFC 3339 date-time"));
        }
    }

    private static void CheckInteger(JsonNode node, JsonObject schema, string path, List<ResourceViolation> violations)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            violations.Add(new(path, Render(node), "must be of type integer"));
            return;
        }

        var int32 = (string?)schema["format"] == "int32";
        if (!TryGetNumber(value, out var number))
        {
            // Beyond decimal's 28 digits (99999999999999999999999999999, 1e400): no integer field holds it.
            violations.Add(new(path, Render(node), int32 ? FitsInt32 : FitsInt64));
            return;
        }

        if (number != decimal.Truncate(number))
        {
            violations.Add(new(path, Render(node), "must be of type integer"));
            return;
        }

        // Every other integer field binds to a long: a bigger value is refused here, not by the binder's exception.
        if (int32 ? number is < int.MinValue or > int.MaxValue : number is < long.MinValue or > long.MaxValue)
        {
            violations.Add(new(path, Render(node), int32 ? FitsInt32 : FitsInt64));
        }

        if (schema["minimum"] is JsonValue minimum && number < Number(minimum))
        {
            violations.Add(new(path, Render(node), $"must be greater than or equal to {minimum}"));
        }

        if (schema["maximum"] is JsonValue maximum && number > Number(maximum))
        {
            violations.Add(new(path, Render(node), $"must be less than or equal to {maximum}"));
        }
    }

    private static void CheckMetadata(JsonObject metadata, List<ResourceViolation> violations)
    {
        foreach (var key in metadata.Select(p => p.Key).Where(DroppedMetadataFields.Contains).ToList())
        {
            metadata.Remove(key);
        }

        foreach (var (key, _) in metadata.Where(p => !MetadataFields.Contains(p.Key)))
        {
            violations.Add(new(FieldPath.Child("metadata", key), null, $"unknown field \"{key}\" (known fields: {string.Join(", ", MetadataFields)})"));
        }

        foreach (var key in new[] { "labels", "annotations" })
        {
            if (metadata[key] is JsonObject map)
            {
                foreach (var (k, v) in map.Where(p => p.Value is not JsonValue s || s.GetValueKind() != JsonValueKind.String))
                {
                    violations.Add(new(FieldPath.Child(FieldPath.Child("metadata", key), k), Render(v), "must be of type string"));
                }
            }
            else if (metadata[key] is not null)
            {
                violations.Add(new(FieldPath.Child("metadata", key), Render(metadata[key]), "must be a map of strings"));
            }
        }

        if (metadata["generation"] is { } generation)
        {
            // Not walked by the schema (ObjectMeta is the API server's): checked here so that binding cannot fail on it.
            CheckInteger(generation, new JsonObject { ["format"] = "int64" }, "metadata.generation", violations);
        }

        foreach (var key in new[] { "name", "namespace" })
        {
            if (metadata[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var text = v.GetValue<string>();
                if (!KubernetesNames.IsDnsSubdomain(text, out var rule))
                {
                    violations.Add(new(FieldPath.Child("metadata", key), Render(v), rule));
                }
            }
            else if (metadata[key] is not null)
            {
                violations.Add(new(FieldPath.Child("metadata", key), Render(metadata[key]), "must be of type string"));
            }
        }
    }

    private static bool IsInteger(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.Number && TryGetNumber(value, out var d) && d == decimal.Truncate(d);

    // Values read from YAML are long/double-backed or, beyond those, JsonElement-backed as JSON bodies are: go through
    // the JSON text, which fails (rather than rounds) for numbers beyond decimal's range.
    private static bool TryGetNumber(JsonValue value, out decimal number) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private static decimal Number(JsonValue value) =>
        TryGetNumber(value, out var number) ? number : throw new InvalidOperationException($"{value.ToJsonString()} is not a number");

    /// <summary>The value as JSON, shortened for messages.</summary>
    public static string Render(JsonNode? node)
    {
        var json = node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        return json.Length <= 80 ? json : json[..77] + "...";
    }
}
