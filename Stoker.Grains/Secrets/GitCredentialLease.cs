using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Git;

namespace Stoker.Grains.Secrets;

/// <summary>Credentials for one git operation; SSH key material written to private temp files is deleted on dispose.</summary>
public sealed class GitCredentialLease(GitCredentials? credentials, string? tempDirectory = null) : IDisposable
{
    public GitCredentials? Credentials { get; } = credentials;

    public void Dispose()
    {
        if (tempDirectory is not null && Directory.Exists(tempDirectory))
        {
            Directory.Delete(tempDirectory, recursive: true);
        }
    }
}
