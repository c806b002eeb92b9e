using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Sync.Git;

/// <summary>
/// Reads an SSH private key file and an optional known_hosts file (<c>GIT_SSH_KEY_FILE</c>, <c>GIT_KNOWN_HOSTS_FILE</c>,
/// <c>stoker-agent sync --ssh-key-file/--known-hosts-file</c>) into the credentials a fetch takes. A file that cannot be
/// read fails before git runs, naming the file (docs/standalone-agent.md).
/// </summary>
public static class GitKeyFiles
{
    /// <summary>Bounds what is read into memory: keys and known_hosts lists are a few KiB.</summary>
    private const long MaxBytes = 1024 * 1024;

    /// <exception cref="GitCheckoutException">A file is missing, unreadable, empty or larger than 1 MiB.</exception>
    public static GitFetchCredentials Read(string privateKeyPath, string? knownHostsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPath);
        return new GitFetchCredentials
        {
            AuthType = GitFetchCredentials.SshType,
            SshPrivateKey = ReadText(privateKeyPath, "SSH key"),
            KnownHosts = string.IsNullOrEmpty(knownHostsPath) ? null : ReadText(knownHostsPath, "known_hosts file"),
        };
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            if (new FileInfo(path).Length > MaxBytes)
            {
                throw new GitCheckoutException($"reading {what} {path}: larger than 1 MiB");
            }

            var text = File.ReadAllText(path);
            return text.Trim().Length == 0 ? throw new GitCheckoutException($"reading {what} {path}: the file is empty") : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitCheckoutException($"reading {what} {path}: {e.Message}", e);
        }
    }
}
