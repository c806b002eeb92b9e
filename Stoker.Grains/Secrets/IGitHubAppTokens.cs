using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>An installation token of a GitHub App and when it expires.</summary>
public sealed record GitHubAppToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// GitHub App installation tokens (docs/private-repositories.md): a JWT signed with the App's private key (read from
/// the Secret <c>privateKeySecretRef</c> names in <paramref name="namespace"/>) is exchanged for an installation
/// token, cached per <c>appId:installationId</c> across resources and refreshed 5 minutes before it expires. The
/// private key never leaves this service.
/// </summary>
public interface IGitHubAppTokens
{
    /// <summary>A valid token, from the cache or a new exchange.</summary>
    /// <exception cref="GitCredentialsException">The key cannot be read or parsed, or GitHub refused the exchange; the message starts "resolving GitHub App auth:".</exception>
    Task<GitHubAppToken> GetTokenAsync(string @namespace, GitHubAppAuth app, CancellationToken cancellationToken);

    /// <summary>The expiry of the token cached for this app and installation, or null when none is.</summary>
    DateTimeOffset? CachedExpiry(GitHubAppAuth app);
}
