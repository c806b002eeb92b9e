using Microsoft.Extensions.Options;
using Stoker.Silo.Security;

namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>
/// Kubernetes mode's per-call check: the credential is the pod's projected service-account token, verified as at
/// registration (<see cref="TokenReviewRegistrationVerifier.IdentifyAsync"/>, sharing its cache); it stands for the
/// gateway of its pod (<see cref="PodGateway"/>).
/// </summary>
public sealed class TokenReviewCredentialVerifier(TokenReviewRegistrationVerifier reviews, IOptions<AgentIdentityOptions> options) : IAgentCredentialVerifier
{
    public bool AllowsMissingCredential => options.Value.AllowRegistrationsWithoutToken;

    public async Task<AgentCredentialVerdict> VerifyAsync(string credential, CancellationToken cancellationToken)
    {
        var (identity, until, refusal) = await reviews.IdentifyAsync(credential, "the agent credential was refused", cancellationToken);
        return refusal is not null
            ? AgentCredentialVerdict.Refused(refusal.Reason, refusal.Message)
            : AgentCredentialVerdict.Accepted(identity!.GatewayKey, null, until, $"pod {identity.Pod}'s token");
    }
}
