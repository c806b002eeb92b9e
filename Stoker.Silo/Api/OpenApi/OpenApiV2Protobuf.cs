using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.OpenApi;

/// <summary>
/// Writes the v2 document as the protobuf message client-go asks for on <c>/openapi/v2</c>: gnostic's
/// <c>openapi.v2.Document</c>. The field numbers below are that public format's (gnostic's OpenAPIv2.proto); only
/// what this document uses is written. Vendor extensions and defaults travel as YAML text, and JSON is YAML.
/// </summary>
public static class OpenApiV2Protobuf
{
    public static byte[] Encode(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var message = new ProtoMessage()
            .String(1, (string?)document["swagger"])
            .Message(2, document["info"] is JsonObject info ? new ProtoMessage().String(1, (string?)info["title"]).String(2, (string?)info["version"]) : null);
        if (document["paths"] is JsonObject paths)
        {
            var encoded = new ProtoMessage();
            foreach (var (name, item) in paths)
            {
                encoded.Message(2, new ProtoMessage().String(1, name).Message(2, PathItem(item!.AsObject())));
            }

            message.Message(8, encoded);
        }

        if (document["definitions"] is JsonObject definitions)
        {
            var encoded = new ProtoMessage();
            foreach (var (name, schema) in definitions)
            {
                encoded.Message(1, new ProtoMessage().String(1, name).Message(2, Schema(schema!.AsObject())));
            }

            message.Message(9, encoded);
        }

        return message.ToArray();
    }

    private static ProtoMessage PathItem(JsonObject item)
    {
        var message = new ProtoMessage();
        foreach (var (method, field) in new[] { ("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8) })
        {
            if (item[method] is JsonObject operation)
            {
                message.Message(field, Operation(operation));
            }
        }

        foreach (var parameter in Array(item["parameters"]))
        {
            message.Message(9, ParametersItem(parameter));
        }

        return message;
    }

    private static ProtoMessage Operation(JsonObject operation)
    {
        var message = new ProtoMessage()
            .String(3, (string?)operation["description"])
            .String(5, (string?)operation["operationId"])
            .Strings(6, Array(operation["produces"]).Select(n => n.GetValue<string>()))
            .Strings(7, Array(operation["consumes"]).Select(n => n.GetValue<string>()));
        foreach (var parameter in Array(operation["parameters"]))
        {
            message.Message(8, ParametersItem(parameter));
        }

        if (operation["responses"] is JsonObject responses)
        {
            var encoded = new ProtoMessage();
            foreach (var (code, response) in responses)
            {
                var body = new ProtoMessage().String(1, (string?)response!["description"]);
                if (response["schema"] is JsonObject schema)
                {
                    body.Message(2, new ProtoMessage().Message(1, Schema(schema)));
                }

                encoded.Message(1, new ProtoMessage().String(1, code).Message(2, new ProtoMessage().Message(1, body)));
            }

            message.Message(9, encoded);
        }

        message.Strings(10, Array(operation["schemes"]).Select(n => n.GetValue<string>()));
        return VendorExtensions(message, 13, operation);
    }

    private static ProtoMessage ParametersItem(JsonNode node)
    {
        var parameter = node.AsObject();
        var at = (string?)parameter["in"];
        ProtoMessage encoded;
        if (at == "body")
        {
            var body = new ProtoMessage()
                .String(1, (string?)parameter["description"])
                .String(2, (string?)parameter["name"])
                .String(3, at)
                .Bool(4, (bool?)parameter["required"] ?? false)
                .Message(5, parameter["schema"] is JsonObject schema ? Schema(schema) : null);
            encoded = new ProtoMessage().Message(1, body);
        }
        else
        {
            // Query and path parameters share their first fields; only the position of name and type differs.
            var isPath = at == "path";
            var sub = new ProtoMessage()
                .Bool(1, (bool?)parameter["required"] ?? false)
                .String(2, at)
                .String(3, (string?)parameter["description"])
                .String(4, (string?)parameter["name"])
                .String(isPath ? 5 : 6, (string?)parameter["type"])
                .Bool(isPath ? 19 : 20, (bool?)parameter["uniqueItems"] ?? false);
            encoded = new ProtoMessage().Message(2, new ProtoMessage().Message(isPath ? 4 : 3, sub));
        }

        return new ProtoMessage().Message(1, encoded);
    }

    private static ProtoMessage Schema(JsonObject schema)
    {
        var message = new ProtoMessage()
            .String(1, (string?)schema["$ref"])
            .String(2, (string?)schema["format"])
            .String(3, (string?)schema["title"])
            .String(4, (string?)schema["description"]);
        if (schema["default"] is { } value)
        {
            message.Message(5, Any(value));
        }

        message
            .Double(7, Number(schema["maximum"]))
            .Double(9, Number(schema["minimum"]))
            .Int64(11, Integer(schema["maxLength"]))
            .Int64(12, Integer(schema["minLength"]))
            .String(13, (string?)schema["pattern"])
            .Int64(14, Integer(schema["maxItems"]))
            .Int64(15, Integer(schema["minItems"]))
            .Int64(17, Integer(schema["maxProperties"]))
            .Int64(18, Integer(schema["minProperties"]))
            .Strings(19, Array(schema["required"]).Select(n => n.GetValue<string>()));
        foreach (var option in Array(schema["enum"]))
        {
            message.Message(20, Any(option));
        }

        switch (schema["additionalProperties"])
        {
            case JsonObject additional:
                message.Message(21, new ProtoMessage().Message(1, Schema(additional)));
                break;
            case JsonValue flag when flag.TryGetValue<bool>(out var allowed):
                // A oneof's bool member is present even when false, so the field is written by hand as a message.
                message.Message(21, allowed ? new ProtoMessage().Bool(2, true) : FalseBoolean());
                break;
        }

        if (schema["type"] is JsonValue type)
        {
            message.Message(22, new ProtoMessage().Strings(1, [type.GetValue<string>()]));
        }

        if (schema["items"] is JsonObject items)
        {
            message.Message(23, new ProtoMessage().Message(1, Schema(items)));
        }

        foreach (var part in Array(schema["allOf"]))
        {
            message.Message(24, Schema(part.AsObject()));
        }

        if (schema["properties"] is JsonObject properties)
        {
            var encoded = new ProtoMessage();
            foreach (var (name, property) in properties)
            {
                encoded.Message(1, new ProtoMessage().String(1, name).Message(2, Schema(property!.AsObject())));
            }

            message.Message(25, encoded);
        }

        return VendorExtensions(message, 31, schema);
    }

    // Field 2, varint 0: proto3 writers skip false, but the oneof member must be there to say "no additional properties".
    private static ProtoMessage FalseBoolean() => new ProtoMessage().RawFalse(2);

    private static ProtoMessage VendorExtensions(ProtoMessage message, int field, JsonObject owner)
    {
        foreach (var (name, value) in owner)
        {
            if (name.StartsWith("x-", StringComparison.Ordinal) && value is not null)
            {
                message.Message(field, new ProtoMessage().String(1, name).Message(2, Any(value)));
            }
        }

        return message;
    }

    /// <summary>gnostic's <c>Any</c>: the value as YAML text (field 2); JSON text is valid YAML.</summary>
    private static ProtoMessage Any(JsonNode value) => new ProtoMessage().String(2, value.ToJsonString() + "\n");

    private static IEnumerable<JsonNode> Array(JsonNode? node) => node is JsonArray array ? array.OfType<JsonNode>() : [];

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    private static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? (long)value.GetValue<double>() : null;
}
