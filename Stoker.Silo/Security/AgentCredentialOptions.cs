namespace Stoker.Silo.Security;

/// <summary>
/// Agent credentials (section <c>Stoker:Security</c>; environment <c>Stoker__Security__…</c>). See docs/security.md,
/// "Agent credentials".
/// </summary>
public sealed class AgentCredentialOptions
{
    public const string SectionName = "Stoker:Security";

    /// <summary>
    /// Off: client calls are held to the agent interface only, with no credential asked (the behaviour before agents had
    /// credentials: any client may act for any gateway). For measurements only (the capacity benchmark compares both);
    /// a silo running with it off logs a warning at every client it lets through.
    /// </summary>
    public bool VerifyAgentCalls { get; set; } = true;

    /// <summary>
    /// The key that signs local-mode agent tokens (base64 of at least 32 bytes). Unset: <c>agent-token.key</c> in the
    /// state folder, created on first start. Silos of one cluster must share it.
    /// </summary>
    public string? AgentTokenKeyFile { get; set; }

    /// <summary>A token's lifetime when the request names none.</summary>
    public TimeSpan DefaultTokenTtl { get; set; } = TimeSpan.FromHours(8760);

    /// <summary>The longest lifetime a token may be minted with.</summary>
    public TimeSpan MaxTokenTtl { get; set; } = TimeSpan.FromHours(8760);

    /// <summary>How often each silo reloads the revoked token ids (the silo that revokes updates its own at once).</summary>
    public TimeSpan RevocationRefreshInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a verified credential is trusted without verifying it again (never past its expiry).</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Verified credentials remembered (by SHA-256); when full, further ones are verified at every call. Sized for the
    /// largest fleet one cluster serves (the propagation benchmark's 100,000 agents; about 150 bytes an entry), because a
    /// cache smaller than the fleet verifies most calls again.
    /// </summary>
    public int CacheSize { get; set; } = 200_000;
}
