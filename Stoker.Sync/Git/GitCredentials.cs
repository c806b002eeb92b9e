namespace Stoker.Sync.Git;

/// <summary>
/// HTTPS token credentials (user <c>x-access-token</c>, as GitHub and most forges accept). The token is never
/// printed: <see cref="ToString"/> hides it and <see cref="Redact"/> strips it from any message.
/// </summary>
public sealed class GitCredentials
{
    public const string TokenUser = "x-access-token";

    public GitCredentials(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        Token = token;
    }

    public string Token { get; }

    /// <summary>Reads and trims a token file (docs/standalone-agent.md, GIT_TOKEN_FILE: a missing or empty file is an error, not anonymous access).</summary>
    public static GitCredentials FromTokenFile(string path)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitCheckoutException($"reading token file {path}: {e.Message}", e);
        }

        return token.Length == 0 ? throw new GitCheckoutException($"reading token file {path}: the file is empty") : new GitCredentials(token);
    }

    public string Redact(string message) => string.IsNullOrEmpty(message) ? message : message.Replace(Token, "<redacted>", StringComparison.Ordinal);

    public override string ToString() => $"{nameof(GitCredentials)}({TokenUser}, token <redacted>)";
}
