using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Gateways.Identity;

/// <summary>
/// Decides whether a registration may act for a gateway, before the Gateway grain starts or resumes a session. Local
/// mode accepts every registration (<see cref="AllowAllRegistrationVerifier"/>); Kubernetes mode checks the agent's
/// service-account token with a TokenReview (docs/kubernetes.md, "Agent identity").
/// </summary>
/// <remarks>
/// Called inside the Gateway grain's (non-reentrant) turn: an implementation must bound its own time and answer
/// <see cref="RegistrationRefusalReasons.Unavailable"/> rather than hold the grain for a client's whole response timeout.
/// </remarks>
public interface IAgentRegistrationVerifier
{
    /// <param name="gatewayKey">The Gateway grain's key, <c>{namespace}/{crName}/{gatewayName}</c>.</param>
    /// <param name="registration">The registration, its token already removed.</param>
    /// <param name="token">The token the agent presented, or null.</param>
    Task<RegistrationVerdict> VerifyAsync(string gatewayKey, AgentRegistration registration, AgentIdentityToken? token, CancellationToken cancellationToken);
}
