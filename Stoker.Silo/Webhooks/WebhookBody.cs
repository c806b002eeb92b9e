using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// The event inside a delivery's body. GitHub's webhook form defaults to <c>application/x-www-form-urlencoded</c>:
/// the JSON event is then the <c>payload</c> field of a form (docs/webhooks.md, "GitHub"). The signature is always
/// over the raw body as received, so this runs after authorization, on a body already bounded by
/// <c>MaxBodyBytes</c>; ASP.NET Core's <see cref="FormReader"/> decodes it with its own key and value limits.
/// </summary>
public static class WebhookBody
{
    public const string FormMediaType = "application/x-www-form-urlencoded";
    public const string PayloadField = "payload";

    /// <summary>The JSON event: the body itself, or the form's <c>payload</c> field; null with a reason when a form has none.</summary>
    public static async Task<(ReadOnlyMemory<byte> Payload, string? Error)> ExtractAsync(string? contentType, ReadOnlyMemory<byte> body)
    {
        if (!IsForm(contentType))
        {
            return (body, null);
        }

        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> fields;
        try
        {
            using var reader = new FormReader(new MemoryStream(body.ToArray(), writable: false), Encoding.UTF8)
            {
                ValueLengthLimit = body.Length,
                KeyLengthLimit = 256,
                ValueCountLimit = 64,
            };
            fields = await reader.ReadFormAsync();
        }
        catch (InvalidDataException e)
        {
            return (default, $"the form-encoded body could not be read ({e.Message})");
        }

        return fields.TryGetValue(PayloadField, out var payload) && payload.Count == 1 && !string.IsNullOrEmpty(payload[0])
            ? (Encoding.UTF8.GetBytes(payload[0]!), null)
            : (default, $"the form-encoded body has no single \"{PayloadField}\" field holding the event");
    }

    private static bool IsForm(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase);
}
