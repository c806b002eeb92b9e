namespace Stoker.Grains.Interfaces.Git;

/// <summary>
/// How to authenticate to a git remote, for the silo's ref resolution (ls-remote) and the agent's fetch alike.
/// HTTP(S): <see cref="Username"/>/<see cref="Password"/> as basic auth; a token is the password with user
/// <see cref="TokenUsername"/>, the user assumed when only a password is given. SSH (ref resolution only; docs/resource-reference.md):
/// a private key file without passphrase and optionally an OpenSSH known_hosts file.
/// </summary>
/// <remarks>
/// It lives here because this is the one project both the grains and the sync engine reference: putting it in
/// Stoker.Sync would make the silo carry the sync engine, and in Stoker.Grains the agent would carry the grains.
/// The password never reaches a message: <see cref="ToString"/> masks it and <see cref="Redact"/> strips it.
/// </remarks>
public sealed record GitCredentials
{
    /// <summary>The user GitHub and most forges accept for a token sent as a password.</summary>
    public const string TokenUsername = "x-access-token";

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? SshPrivateKeyPath { get; init; }

    public string? KnownHostsPath { get; init; }

    /// <summary>The SSH private key itself (wins over <see cref="SshPrivateKeyPath"/>): the SSH wrapper writes its one private copy.</summary>
    public string? SshPrivateKey { get; init; }

    /// <summary>OpenSSH known_hosts text (wins over <see cref="KnownHostsPath"/>).</summary>
    public string? KnownHosts { get; init; }

    /// <summary>The user sent with <see cref="Password"/>: <see cref="Username"/>, or <see cref="TokenUsername"/> when none is given.</summary>
    public string EffectiveUsername => string.IsNullOrEmpty(Username) ? TokenUsername : Username;

    public static GitCredentials Token(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new() { Username = TokenUsername, Password = token };
    }

    /// <summary>Replaces every occurrence of <see cref="Password"/> in <paramref name="message"/> with <paramref name="mask"/>.</summary>
    public string Redact(string message, string mask = "<redacted>") =>
        string.IsNullOrEmpty(message) || string.IsNullOrEmpty(Password) ? message : message.Replace(Password, mask, StringComparison.Ordinal);

    // Records print every property by default; the password must never reach a log line.
    public override string ToString() =>
        $"GitCredentials {{ Username = {Username ?? "none"}, Password = {(Password is null ? "none" : "***")}, " +
        $"SshPrivateKeyPath = {SshPrivateKeyPath ?? "none"}, KnownHostsPath = {KnownHostsPath ?? "none"}, " +
        $"SshPrivateKey = {(SshPrivateKey is null ? "none" : "***")}, KnownHosts = {(KnownHosts is null ? "none" : "set")} }}";
}
