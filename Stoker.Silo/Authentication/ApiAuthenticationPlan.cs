namespace Stoker.Silo.Authentication;

/// <summary>What the silo decided at start about its HTTP port's authentication (logged once, see <see cref="ApiAuthenticationStartupLog"/>).</summary>
/// <param name="AdminTokenFile">Where the loopback admin token is, when the silo made or reused one.</param>
/// <param name="TokensFile">The tokens file, when set.</param>
/// <param name="Kubernetes">Whether unknown tokens go to the API server (TokenReview, SubjectAccessReview).</param>
/// <param name="NonLoopbackUrl">The first listen URL other machines can reach, or null when all are loopback.</param>
/// <param name="AllowAnonymous">Whether requests without a token are let in.</param>
public sealed record ApiAuthenticationPlan(string? AdminTokenFile, string? TokensFile, bool Kubernetes, string? NonLoopbackUrl, bool AllowAnonymous);
