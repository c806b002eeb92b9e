using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>Reads and writes an int-or-string quantity in the JSON kind it was given.</summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new Quantity(reader.GetString()!, IsNumber: false),
            JsonTokenType.Number => new Quantity(
                reader.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                IsNumber: true),
            _ => throw new JsonException("a quantity must be a string or a number"),
        };

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options)
    {
        if (value.IsNumber)
        {
            writer.WriteRawValue(value.Value);
        }
        else
        {
            writer.WriteStringValue(value.Value);
        }
    }
}
