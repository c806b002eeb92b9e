using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Git;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>Turns <c>spec.git.auth</c> into credentials for ls-remote (docs/resource-reference.md).</summary>
public static class GitCredentialsFactory
{
    public static async Task<GitCredentialLease> CreateAsync(GatewaySync resource, ISecretStore secrets, CancellationToken cancellationToken)
    {
        var auth = resource.Spec.Git.Auth;
        var ns = resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace;
        if (auth is null)
        {
            return new GitCredentialLease(null);
        }

        if (auth.GithubApp is not null)
        {
            throw new GitCredentialsException("resolving GitHub App auth: GitHub App installation tokens are not supported by this control plane yet; use token or SSH auth");
        }

        if (auth.SshKey is { } ssh)
        {
            var key = await ReadAsync(secrets, ns, ssh.SecretRef, cancellationToken);
            var knownHosts = ssh.KnownHosts is { } hosts ? await ReadAsync(secrets, ns, hosts.SecretRef, cancellationToken) : null;
            var directory = Directory.CreateTempSubdirectory("stoker-ssh-").FullName;
            var keyPath = WritePrivate(Path.Combine(directory, "id"), key.EndsWith('\n') ? key : key + "\n");
            var knownHostsPath = knownHosts is null ? null : WritePrivate(Path.Combine(directory, "known_hosts"), knownHosts);
            return new GitCredentialLease(new GitCredentials { SshPrivateKeyPath = keyPath, KnownHostsPath = knownHostsPath }, directory);
        }

        if (auth.Token is { } token)
        {
            // The agent trims the token and so do we (the original controller did not, and broke on a trailing newline).
            return new GitCredentialLease(GitCredentials.Token((await ReadAsync(secrets, ns, token.SecretRef, cancellationToken)).Trim()));
        }

        return new GitCredentialLease(null);
    }

    private static string WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static async Task<string> ReadAsync(ISecretStore secrets, string ns, SecretKeyRef reference, CancellationToken cancellationToken) =>
        secrets.IsConfigured
            ? await secrets.ReadAsync(ns, reference.Name, reference.Key, cancellationToken) ?? throw new GitCredentialsException($"resolving git auth: key \"{reference.Key}\" not found in secret {ns}/{reference.Name}")
            : throw new GitCredentialsException($"resolving git auth: no secret store is configured to read secret {ns}/{reference.Name}");
}
