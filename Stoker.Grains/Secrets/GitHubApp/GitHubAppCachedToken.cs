namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>A cached installation token and the digest of the key and endpoint that obtained it.</summary>
internal sealed record GitHubAppCachedToken(GitHubAppToken Token, string Binding);
