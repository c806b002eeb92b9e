namespace Stoker.Silo.Security;

/// <summary>
/// Verifies the credential a client presents with a call (docs/security.md, "Agent credentials"): local mode checks
/// the silo's signature (<see cref="SignedAgentTokenVerifier"/>), Kubernetes mode asks the API server
/// (<see cref="Kubernetes.Identity.TokenReviewCredentialVerifier"/>).
/// </summary>
public interface IAgentCredentialVerifier
{
    /// <summary>Calls without any credential pass as before agents had identities (Kubernetes mode's explicit opt-in for agents off the cluster).</summary>
    bool AllowsMissingCredential { get; }

    Task<AgentCredentialVerdict> VerifyAsync(string credential, CancellationToken cancellationToken);
}
