using System.Security.Cryptography;
using System.Text;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>The one <see cref="IGitCredentialSource"/>: Secrets through the store, app tokens through the exchange.</summary>
public sealed class GitCredentialSource(ISecretStore secrets, IGitHubAppTokens apps) : IGitCredentialSource
{
    public async Task<GitFetchCredentials> GetAsync(string @namespace, GitAuthSpec? auth, CancellationToken cancellationToken)
    {
        if (auth?.GithubApp is { } app)
        {
            var token = await apps.GetTokenAsync(@namespace, app, cancellationToken).ConfigureAwait(false);
            return Sealed(new GitFetchCredentials { AuthType = GitFetchCredentials.GitHubAppType, Password = token.Token, ExpiresAt = token.ExpiresAt });
        }

        if (auth?.SshKey is { } ssh)
        {
            var key = await ReadAsync(@namespace, ssh.SecretRef, "", cancellationToken).ConfigureAwait(false);
            var knownHosts = ssh.KnownHosts is { } hosts ? await ReadAsync(@namespace, hosts.SecretRef, "known_hosts ", cancellationToken).ConfigureAwait(false) : null;
            return Sealed(new GitFetchCredentials
            {
                AuthType = GitFetchCredentials.SshType,
                SshPrivateKey = key.EndsWith('\n') ? key : key + "\n",
                KnownHosts = knownHosts,
            });
        }

        if (auth?.Token is { } tokenAuth)
        {
            // Trimmed, as the agent always did (the original controller did not, and broke on a trailing newline).
            var token = (await ReadAsync(@namespace, tokenAuth.SecretRef, "", cancellationToken).ConfigureAwait(false)).Trim();
            if (token.Length == 0)
            {
                throw new GitCredentialsException($"resolving git auth: key \"{tokenAuth.SecretRef.Key}\" in secret {@namespace}/{tokenAuth.SecretRef.Name} is empty");
            }

            return Sealed(new GitFetchCredentials { AuthType = GitFetchCredentials.TokenType, Password = token });
        }

        return new GitFetchCredentials();
    }

    private async Task<string> ReadAsync(string @namespace, SecretKeyRef reference, string what, CancellationToken cancellationToken)
    {
        if (!secrets.IsConfigured)
        {
            throw new GitCredentialsException($"resolving git auth: no secret store is configured to read {what}secret {@namespace}/{reference.Name}");
        }

        string? value;
        try
        {
            value = await secrets.ReadAsync(@namespace, reference.Name, reference.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretReadException e)
        {
            // The store could not answer (the API server failed, the Secret is too large): its message names the Secret.
            throw new GitCredentialsException($"resolving git auth: {e.Message}", e);
        }

        return value ?? throw new GitCredentialsException($"resolving git auth: key \"{reference.Key}\" not found in {what}secret {@namespace}/{reference.Name}");
    }

    /// <summary>Adds the fingerprint: what changed between two derivations can be told (and logged) without the secret.</summary>
    private static GitFetchCredentials Sealed(GitFetchCredentials credentials)
    {
        var material = string.Join('\0', credentials.AuthType, credentials.Username, credentials.Password, credentials.SshPrivateKey, credentials.KnownHosts);
        return credentials with { Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)).AsSpan(0, 8)) };
    }
}
