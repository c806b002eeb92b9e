namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>How the control plane talks to GitHub's token endpoint (<c>Stoker:GitHubApp</c>; docs/private-repositories.md).</summary>
public sealed class GitHubAppOptions
{
    public const string SectionName = "Stoker:GitHubApp";

    /// <summary>
    /// PEM file of CA certificates trusted in addition to the system's, for GitHub Enterprise Server behind a private
    /// CA. The system's roots stay trusted; host names are always checked.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// Lets <c>apiBaseURL</c> be plain <c>http</c>. Off by default: the request carries a JWT that mints repository
    /// tokens for ten minutes, and the answer is such a token.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// How long one exchange may take. Shorter than the 30 s ls-remote deadline that encloses it, so a hung GitHub
    /// is reported as the exchange failing rather than as an ls-remote timeout.
    /// </summary>
    public TimeSpan ExchangeTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
