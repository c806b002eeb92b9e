namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>
/// How Kubernetes mode checks an agent's identity at registration (section <c>Stoker:Kubernetes:AgentIdentity</c>;
/// environment <c>Stoker__Kubernetes__AgentIdentity__…</c>). See docs/kubernetes.md, "Agent identity".
/// </summary>
public sealed class AgentIdentityOptions
{
    public const string SectionName = StokerKubernetesOptions.SectionName + ":AgentIdentity";

    /// <summary>The audience asked for in the TokenReview: the injected token's audience (<c>Stoker:Admission:TokenAudience</c>).</summary>
    public string Audience { get; set; } = "stoker";

    /// <summary>
    /// Accept registrations that present no token (agents outside the cluster, e.g. on a VM, which have no
    /// service-account token). Off: such an agent could name any gateway. A presented token is always checked.
    /// </summary>
    public bool AllowRegistrationsWithoutToken { get; set; }

    /// <summary>
    /// The longest a registration waits for the API server (TokenReview and pod read together). It runs inside the
    /// Gateway grain's turn, so it must stay well below the agents' call timeout (30 s); past it the registration is
    /// refused as retryable.
    /// </summary>
    public TimeSpan ReviewTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a verified token is trusted without asking again (never past the token's own expiry); zero asks every time.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many verified tokens are remembered; when full, new ones are checked every time until entries expire.</summary>
    public int CacheSize { get; set; } = 200_000;
}
