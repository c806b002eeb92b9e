using Stoker.Grains.Interfaces.Git;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>Turns <c>spec.git.auth</c> into credentials for the silo's ls-remote (docs/resource-reference.md).</summary>
public static class GitCredentialsFactory
{
    /// <summary>
    /// The credentials, from <paramref name="source"/>, or null for anonymous access. An SSH key travels as text: the
    /// SSH wrapper (Stoker.Git) writes the one private 0600 copy ssh reads, and deletes it after the operation.
    /// </summary>
    public static async Task<GitCredentials?> CreateAsync(GatewaySync resource, IGitCredentialSource source, CancellationToken cancellationToken)
    {
        var ns = resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace;
        var material = await source.GetAsync(ns, resource.Spec.Git.Auth, cancellationToken).ConfigureAwait(false);
        if (material.SshPrivateKey is { } key)
        {
            return new GitCredentials { SshPrivateKey = key, KnownHosts = material.KnownHosts };
        }

        return material.Password is { } password
            ? new GitCredentials { Username = material.Username ?? GitCredentials.TokenUsername, Password = password }
            : null;
    }
}
