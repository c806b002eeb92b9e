namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// What an agent needs to fetch its resource's repository, derived by the silo from <c>spec.git.auth</c> at the moment
/// the agent asks (<see cref="Grains.IGatewayAgentGrain.GetGitCredentials"/>): a token (static, or a GitHub App
/// installation token), or an SSH private key with the known_hosts text. Never stored in grain state; the agent holds
/// it in memory for one fetch (docs/private-repositories.md).
/// </summary>
/// <remarks>
/// <see cref="RepoUrl"/> binds the material to the repository it is for: the agent uses it for that URL only, so a
/// desired state naming another repository can never make it send the credential elsewhere.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record GitFetchCredentials
{
    public const string None = "none";
    public const string TokenType = "token";
    public const string SshType = "ssh";
    public const string GitHubAppType = "githubApp";

    /// <summary>The repository (<c>spec.git.repo</c>) these credentials are for.</summary>
    [Id(0)] public string RepoUrl { get; init; } = "";

    /// <summary><c>none</c>, <c>token</c>, <c>ssh</c> or <c>githubApp</c> (the original's <c>authType</c>).</summary>
    [Id(1)] public string AuthType { get; init; } = None;

    /// <summary>HTTP basic-auth user; null means <see cref="Git.GitCredentials.TokenUsername"/>.</summary>
    [Id(2)] public string? Username { get; init; }

    /// <summary>The token (HTTP basic-auth password).</summary>
    [Id(3)] public string? Password { get; init; }

    /// <summary>The SSH private key (OpenSSH or PEM text, no passphrase).</summary>
    [Id(4)] public string? SshPrivateKey { get; init; }

    /// <summary>OpenSSH known_hosts text; null: host keys are not verified (the <c>SSHHostKeyVerification</c> warning).</summary>
    [Id(5)] public string? KnownHosts { get; init; }

    /// <summary>When a GitHub App installation token expires; null for static credentials.</summary>
    [Id(6)] public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Why no credentials could be derived (a Secret or key missing, the GitHub App exchange failed), else null.</summary>
    [Id(7)] public string? Error { get; init; }

    /// <summary>A fingerprint of the material (SHA-256, first 8 bytes, hex): equal material, equal fingerprint; reveals nothing usable.</summary>
    [Id(8)] public string Fingerprint { get; init; } = "";

    // Records print every property by default; the secret parts (and a URL's user-info) must never reach a log line.
    public override string ToString() =>
        $"GitFetchCredentials {{ RepoUrl = {Git.UrlUserInfo.Redact(RepoUrl)}, AuthType = {AuthType}, Username = {Username ?? "none"}, Password = {(Password is null ? "none" : "***")}, " +
        $"SshPrivateKey = {(SshPrivateKey is null ? "none" : "***")}, KnownHosts = {(KnownHosts is null ? "none" : "set")}, ExpiresAt = {ExpiresAt?.ToString("O") ?? "none"}, " +
        $"Error = {Error ?? "none"}, Fingerprint = {Fingerprint} }}";
}
