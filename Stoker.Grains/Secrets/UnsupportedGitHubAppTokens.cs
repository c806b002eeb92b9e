using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>PLACEHOLDER until the exchange lands: refuses GitHub App auth with a clear message.</summary>
public sealed class UnsupportedGitHubAppTokens : IGitHubAppTokens
{
    public Task<GitHubAppToken> GetTokenAsync(string @namespace, GitHubAppAuth app, CancellationToken cancellationToken) =>
        throw new GitCredentialsException("resolving GitHub App auth: GitHub App installation tokens are not supported by this control plane yet; use token or SSH auth");

    public DateTimeOffset? CachedExpiry(GitHubAppAuth app) => null;
}
