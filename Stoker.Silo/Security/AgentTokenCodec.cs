using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Silo.Security;

/// <summary>
/// Local-mode agent tokens: JWTs signed HS256 with the cluster's <see cref="AgentTokenKey"/>, issuer
/// <see cref="AgentCredential.Issuer"/>, audience <see cref="AgentCredential.Audience"/>, subject the gateway key,
/// a random <c>jti</c> (the id revocation names), <c>iat</c> and <c>exp</c>. The library does the JWT work; this class
/// only fixes the rules: one algorithm, one issuer and audience, an expiry required and read from
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class AgentTokenCodec
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MaximumTokenSizeInBytes = AgentCredential.MaxLength };
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;

    public AgentTokenCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < AgentTokenKey.MinBytes)
        {
            throw new ArgumentException($"an agent token key needs at least {AgentTokenKey.MinBytes} bytes", nameof(key));
        }

        var securityKey = new SymmetricSecurityKey(key);
        _signing = new SigningCredentials(securityKey, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = AgentCredential.Issuer,
            ValidAudience = AgentCredential.Audience,
            IssuerSigningKey = securityKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            // The expiry is checked below against the silo's TimeProvider, with no clock skew.
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
    }

    public MintedAgentToken Mint(string gatewayKey, DateTimeOffset issuedAt, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(gatewayKey);
        // Whole seconds: what the token's exp says is what the silo answers as expiresAt.
        issuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Ceiling(ttl.TotalSeconds));
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AgentCredential.Issuer,
            Audience = AgentCredential.Audience,
            IssuedAt = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = gatewayKey, [JwtRegisteredClaimNames.Jti] = id },
            SigningCredentials = _signing,
        });
        return new MintedAgentToken(id, token, gatewayKey, expiresAt);
    }

    /// <summary>Checks signature, algorithm, issuer, audience and expiry at <paramref name="now"/>.</summary>
    public async Task<AgentCredentialVerdict> VerifyAsync(string token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid)
        {
            return AgentCredentialVerdict.Refused(AgentCallRefusalReasons.InvalidCredential, $"the agent credential is not a token of this cluster: {Why(result.Exception)}");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)
            || !jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var gateway) || string.IsNullOrEmpty(gateway)
            || !jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var id) || string.IsNullOrEmpty(id))
        {
            return AgentCredentialVerdict.Refused(AgentCallRefusalReasons.InvalidCredential, "the agent credential lacks exp, sub or jti");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253_402_300_799));
        return expiresAt <= now
            ? AgentCredentialVerdict.Refused(AgentCallRefusalReasons.Expired, $"the agent token {id} for gateway {gateway} expired at {expiresAt:u}; mint a new one (stoker agent-token create)")
            : AgentCredentialVerdict.Accepted(gateway, id, expiresAt, $"token {id}");
    }

    /// <summary>The token's id, read without checking anything (to revoke by token); null when it is not a JWT with a jti.</summary>
    public static string? ReadId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            return new JsonWebToken(token.Trim()).TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var id) && !string.IsNullOrEmpty(id) ? id : null;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }
    }

    private static string Why(Exception? e) => e switch
    {
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not match the cluster's agent token key (signed with another or an old key?)",
        SecurityTokenInvalidIssuerException => $"its issuer is not \"{AgentCredential.Issuer}\"",
        SecurityTokenInvalidAudienceException => $"its audience is not \"{AgentCredential.Audience}\"",
        SecurityTokenInvalidAlgorithmException => $"it is not signed with {SecurityAlgorithms.HmacSha256}",
        SecurityTokenMalformedException or ArgumentException => "it is not a well-formed JWT",
        _ => "it does not validate",
    };
}
