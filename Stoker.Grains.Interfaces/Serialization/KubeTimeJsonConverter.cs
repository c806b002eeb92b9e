using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>Kubernetes <c>metav1.Time</c>: RFC 3339 in UTC with second precision (<c>2026-03-01T12:00:00Z</c>).</summary>
public sealed class KubeTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException($"\"{text}\" is not an RFC 3339 date-time");
        }

        return Truncate(value);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToKubeString(value));

    public static string ToKubeString(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Drops sub-second precision, as the API server stores it.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
