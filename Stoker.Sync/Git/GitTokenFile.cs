using Stoker.Grains.Interfaces.Git;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Sync.Git;

/// <summary>
/// Reads an HTTPS token file (<c>GIT_TOKEN_FILE</c>, <c>--token-file</c>) into <see cref="GitCredentials"/>. A missing
/// or empty file is an error, not anonymous access (docs/standalone-agent.md): a mistyped path must not turn into
/// "authentication required" at the remote.
/// </summary>
public static class GitTokenFile
{
    /// <exception cref="GitCheckoutException">The file cannot be read or holds nothing but white space.</exception>
    public static GitCredentials Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitCheckoutException($"reading token file {path}: {e.Message}", e);
        }

        return token.Length == 0 ? throw new GitCheckoutException($"reading token file {path}: the file is empty") : GitCredentials.Token(token);
    }

    /// <summary>As <see cref="Read"/>, in the form <see cref="GitCheckout.Fetch(string, GitFetchCredentials?, CancellationToken)"/> takes.</summary>
    /// <exception cref="GitCheckoutException">The file cannot be read or holds nothing but white space.</exception>
    public static GitFetchCredentials ReadForFetch(string path)
    {
        var credentials = Read(path);
        return new GitFetchCredentials { AuthType = GitFetchCredentials.TokenType, Username = credentials.Username, Password = credentials.Password };
    }
}
