using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>
/// Derives git credentials from <c>spec.git.auth</c> for the silo's ls-remote and for agents alike, reading the Secrets
/// it names through <see cref="ISecretStore"/> (Kubernetes Secrets or the secrets folder) and GitHub App tokens through
/// <see cref="IGitHubAppTokens"/>. Nothing is cached here but app tokens: a rotated Secret is what the next call reads.
/// </summary>
public interface IGitCredentialSource
{
    /// <summary>
    /// The material for <paramref name="auth"/> in <paramref name="namespace"/> (<see cref="GitFetchCredentials.AuthType"/>
    /// <c>none</c> when null), with <see cref="GitFetchCredentials.RepoUrl"/> left empty for the caller to fill.
    /// Precedence as the original: GitHub App, then SSH key, then token.
    /// </summary>
    /// <exception cref="GitCredentialsException">A Secret or key is missing, or the GitHub App exchange failed.</exception>
    Task<GitFetchCredentials> GetAsync(string @namespace, GitAuthSpec? auth, CancellationToken cancellationToken);
}
