using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.OpenApi;

/// <summary>
/// Turns a structural v3 schema into what OpenAPI v2 can say, as the API server does when it publishes a CRD in v2:
/// v2 has no anyOf/oneOf/not/nullable, so those go (an int-or-string field is then left without a type: any value).
/// </summary>
public static class OpenApiV2Schema
{
    private static readonly string[] Unsupported = ["anyOf", "oneOf", "not", "nullable"];

    public static void Simplify(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema["x-kubernetes-int-or-string"] is JsonValue intOrString && intOrString.TryGetValue<bool>(out var yes) && yes)
        {
            schema.Remove("type");
            schema.Remove("format");
        }

        foreach (var key in Unsupported)
        {
            schema.Remove(key);
        }

        foreach (var key in schema.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal) && k != OpenApiSchemas.GroupVersionKindExtension).ToList())
        {
            schema.Remove(key);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                if (property is JsonObject child)
                {
                    Simplify(child);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Simplify(items);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Simplify(additional);
        }
    }
}
