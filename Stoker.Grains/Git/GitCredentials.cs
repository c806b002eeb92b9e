namespace Stoker.Grains.Git;

/// <summary>
/// How to authenticate to a remote. HTTP(S): <see cref="Username"/>/<see cref="Password"/> as basic auth (a token is
/// the password with user <c>x-access-token</c>, the user assumed when only a password is given). SSH: a private key
/// file (no passphrase) and optionally an OpenSSH known_hosts file; without one any host key is accepted.
/// </summary>
public sealed record GitCredentials
{
    public const string TokenUsername = "x-access-token";

    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? SshPrivateKeyPath { get; init; }

    public string? KnownHostsPath { get; init; }

    public static GitCredentials Token(string token) => new() { Username = TokenUsername, Password = token };

    // Records print every property by default; the password must never reach a log line.
    public override string ToString() =>
        $"GitCredentials {{ Username = {Username ?? "none"}, Password = {(Password is null ? "none" : "***")}, " +
        $"SshPrivateKeyPath = {SshPrivateKeyPath ?? "none"}, KnownHostsPath = {KnownHostsPath ?? "none"} }}";
}
