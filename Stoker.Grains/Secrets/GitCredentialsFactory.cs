using Stoker.Grains.Interfaces.Git;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Secrets;

/// <summary>Turns <c>spec.git.auth</c> into credentials for the silo's ls-remote (docs/resource-reference.md).</summary>
public static class GitCredentialsFactory
{
    /// <summary>
    /// The credentials, from <paramref name="source"/>; an SSH key (and known_hosts) is written to 0600 files in a private
    /// temporary folder that the lease deletes when disposed.
    /// </summary>
    public static async Task<GitCredentialLease> CreateAsync(GatewaySync resource, IGitCredentialSource source, CancellationToken cancellationToken)
    {
        var ns = resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace;
        var material = await source.GetAsync(ns, resource.Spec.Git.Auth, cancellationToken).ConfigureAwait(false);
        if (material.SshPrivateKey is { } key)
        {
            var directory = Directory.CreateTempSubdirectory("stoker-ssh-").FullName;
            var keyPath = WritePrivate(Path.Combine(directory, "id"), key);
            var knownHostsPath = material.KnownHosts is { } hosts ? WritePrivate(Path.Combine(directory, "known_hosts"), hosts) : null;
            return new GitCredentialLease(new GitCredentials { SshPrivateKeyPath = keyPath, KnownHostsPath = knownHostsPath }, directory);
        }

        return material.Password is { } password
            ? new GitCredentialLease(new GitCredentials { Username = material.Username ?? GitCredentials.TokenUsername, Password = password })
            : new GitCredentialLease(null);
    }

    private static string WritePrivate(string path, string content)
    {
        // Created with the mode, not chmod-ed after: the key is never readable by others, not even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return path;
    }
}
