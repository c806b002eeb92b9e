using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>
/// Reads and writes a <see cref="ManagedFieldsEntry"/> in the API server's shape, with <c>fieldsV1</c> as a JSON
/// object (kept as text inside the record). Unknown members are refused like everywhere in a resource.
/// </summary>
public sealed class ManagedFieldsEntryJsonConverter : JsonConverter<ManagedFieldsEntry>
{
    public override ManagedFieldsEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject obj)
        {
            throw new JsonException("a managedFields entry must be an object");
        }

        var entry = new ManagedFieldsEntry();
        foreach (var (key, value) in obj)
        {
            entry = key switch
            {
                "manager" => entry with { Manager = Text(key, value) },
                "operation" => entry with { Operation = Text(key, value) },
                "apiVersion" => entry with { ApiVersion = Text(key, value) },
                "fieldsType" => entry with { FieldsType = Text(key, value) },
                "subresource" => entry with { Subresource = Text(key, value) },
                "time" => entry with { Time = Text(key, value) is { } t ? ReadTime(t) : null },
                "fieldsV1" => entry with
                {
                    FieldsV1 = value switch
                    {
                        null => null,
                        JsonObject fields => fields.ToJsonString(),
                        _ => throw new JsonException("managedFields[].fieldsV1 must be an object"),
                    },
                },
                _ => throw new JsonException($"managedFields[]: unknown field \"{key}\""),
            };
        }

        return entry;
    }

    public override void Write(Utf8JsonWriter writer, ManagedFieldsEntry value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        WriteText(writer, "manager", value.Manager);
        WriteText(writer, "operation", value.Operation);
        WriteText(writer, "apiVersion", value.ApiVersion);
        if (value.Time is { } time)
        {
            writer.WriteString("time", KubeTimeJsonConverter.ToKubeString(time));
        }

        WriteText(writer, "fieldsType", value.FieldsType);
        if (value.FieldsV1 is { } fields)
        {
            writer.WritePropertyName("fieldsV1");
            using var document = JsonDocument.Parse(fields);
            document.WriteTo(writer);
        }

        WriteText(writer, "subresource", value.Subresource);
        writer.WriteEndObject();
    }

    private static DateTimeOffset ReadTime(string text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? KubeTimeJsonConverter.Truncate(time)
            : throw new JsonException($"managedFields[].time: \"{text}\" is not an RFC 3339 date-time");

    private static string? Text(string key, JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new JsonException($"managedFields[].{key} must be a string"),
    };

    private static void WriteText(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
