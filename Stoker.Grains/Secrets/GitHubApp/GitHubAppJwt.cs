using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>The App's JWT for the token exchange: RS256, and only the claims the original sent.</summary>
internal static class GitHubAppJwt
{
    /// <summary>Back-dated so a GitHub clock slightly behind ours still sees the token as issued (the original's skew).</summary>
    public static readonly TimeSpan IssuedSkew = TimeSpan.FromSeconds(60);

    /// <summary>GitHub refuses App JWTs valid for more than ten minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public static string Create(RSA key, long appId, DateTimeOffset now)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var signingKey = new RsaSecurityKey(key)
        {
            // A cached signature provider would keep the key alive after the exchange.
            CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
        };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = appId.ToString(CultureInfo.InvariantCulture),
            IssuedAt = (now - IssuedSkew).UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
