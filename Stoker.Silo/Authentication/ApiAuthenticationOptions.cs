namespace Stoker.Silo.Authentication;

/// <summary>Who may call the silo's HTTP port (section <c>Stoker:Api:Authentication</c>; docs/security.md, "API authentication").</summary>
public sealed class ApiAuthenticationOptions
{
    public const string SectionName = "Stoker:Api:Authentication";

    public ApiAuthenticationMode Mode { get; set; } = ApiAuthenticationMode.Tokens;

    /// <summary>Hashed tokens, one a line: <c>sha256:HEX NAME ROLE</c> (see <see cref="ApiTokensFile"/>); re-read when it changes.</summary>
    public string? TokensFile { get; set; }

    /// <summary>
    /// Lets requests without a token in. Required to bind a non-loopback address with no token source, and for
    /// <see cref="ApiAuthenticationMode.None"/>; logged as a warning at start.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Route patterns served without a token; unset is <see cref="DefaultAnonymousPaths"/>. <c>/webhook/…</c> is always open (HMAC).</summary>
    public string[]? AnonymousPaths { get; set; }

    public static readonly IReadOnlyList<string> DefaultAnonymousPaths = ["/metrics", "/healthz", "/readyz", "/startupz"];

    public IReadOnlyList<string> EffectiveAnonymousPaths => AnonymousPaths ?? DefaultAnonymousPaths;

    /// <summary>Kubernetes mode: how long a TokenReview's answer is trusted (also never past the token's own expiry). At most 5 minutes.</summary>
    public TimeSpan TokenReviewCacheDuration { get; set; } = MaxTokenReviewCacheDuration;

    public static readonly TimeSpan MaxTokenReviewCacheDuration = TimeSpan.FromMinutes(5);

    /// <summary>Kubernetes mode: how long a SubjectAccessReview's answer is reused. At most 10 seconds, so RBAC changes apply quickly.</summary>
    public TimeSpan AccessReviewCacheDuration { get; set; } = MaxAccessReviewCacheDuration;

    public static readonly TimeSpan MaxAccessReviewCacheDuration = TimeSpan.FromSeconds(10);

    /// <summary>Kubernetes mode: the most reviews each cache holds; a flood of distinct tokens costs reviews, never memory.</summary>
    public int CacheSize { get; set; } = 10_000;

    /// <summary>Kubernetes mode: how long a review may take before the request is answered 503.</summary>
    public TimeSpan ReviewTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Kubernetes mode: audiences the TokenReview asks for; empty takes the API server's own.</summary>
    public string[] Audiences { get; set; } = [];
}
