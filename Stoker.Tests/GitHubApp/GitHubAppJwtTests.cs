using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stoker.Grains.Secrets.GitHubApp;

namespace Stoker.Tests.GitHubApp;

/// <summary>The App JWT, checked with the public key the way GitHub checks it.</summary>
public sealed class GitHubAppJwtTests
{
    [Fact]
    public void Create_Rs256SignedWithTheAppKey_OnlyIssIatExp()
    {
        using var key = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

        var jwt = GitHubAppJwt.Create(key, 123456, now);

        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var header = JsonDocument.Parse(Decode(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.False(header.RootElement.TryGetProperty("kid", out _));
        using var payload = JsonDocument.Parse(Decode(parts[1]));
        var claims = payload.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(["exp", "iat", "iss"], claims.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("123456", claims["iss"].GetString());
        Assert.Equal(now.ToUnixTimeSeconds() - 60, claims["iat"].GetInt64());
        Assert.Equal(now.ToUnixTimeSeconds() + 600, claims["exp"].GetInt64());
    }

    [Fact]
    public void Create_OtherKey_SignatureDoesNotVerify()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);

        var parts = GitHubAppJwt.Create(key, 1, TimeProvider.System.GetUtcNow()).Split('.');

        Assert.False(other.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static byte[] Decode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }
}
