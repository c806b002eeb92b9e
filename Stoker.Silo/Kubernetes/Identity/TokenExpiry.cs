using System.Buffers.Text;
using System.Text.Json;

namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>
/// The <c>exp</c> claim of a service-account token (a JWT), read without checking the signature: only used to stop
/// trusting a token the API server has already verified once it expires, never to trust one.
/// </summary>
public static class TokenExpiry
{
    public static DateTimeOffset? Read(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("exp", out var exp)
                && exp.ValueKind == JsonValueKind.Number
                && exp.TryGetInt64(out var seconds)
                && seconds is > 0 and < 253_402_300_800
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
