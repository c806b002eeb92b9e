using System.Security.Cryptography;
using System.Text;

namespace Stoker.Silo.Webhooks;

/// <summary>The two ways a sender proves it knows a secret, both compared in constant time.</summary>
public static class WebhookSignature
{
    public const string HmacHeader = "X-Hub-Signature-256";
    private const string HmacPrefix = "sha256=";
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// <c>X-Hub-Signature-256: sha256=&lt;lower-case hex HMAC-SHA256(secret, body)&gt;</c>. An empty secret, a missing
    /// prefix, upper-case hex or a wrong digest fail.
    /// </summary>
    public static bool IsValidHmac(ReadOnlySpan<byte> body, string? header, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || header is null)
        {
            return false;
        }

        var digest = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        var expected = Encoding.ASCII.GetBytes(HmacPrefix + Convert.ToHexStringLower(digest));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(header));
    }

    /// <summary><c>Authorization</c> exactly <c>Bearer &lt;token&gt;</c> (case-sensitive, one space). An empty token fails.</summary>
    public static bool IsValidBearer(string? header, string? token)
    {
        if (string.IsNullOrEmpty(token) || header is null)
        {
            return false;
        }

        // Compared as SHA-256 digests: equal lengths whatever was sent, so the time taken does not tell the token's length.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(BearerPrefix + token)), SHA256.HashData(Encoding.UTF8.GetBytes(header)));
    }

    /// <summary>The header a sender puts on <paramref name="body"/> (for docs, tests and senders written in .NET).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        HmacPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
