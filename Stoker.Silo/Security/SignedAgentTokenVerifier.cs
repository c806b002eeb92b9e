namespace Stoker.Silo.Security;

/// <summary>Local mode: a credential is a token this cluster's key signed (<see cref="AgentTokenCodec"/>); revocation is the call filter's check.</summary>
public sealed class SignedAgentTokenVerifier(AgentTokenCodec codec, TimeProvider time) : IAgentCredentialVerifier
{
    public bool AllowsMissingCredential => false;

    public Task<AgentCredentialVerdict> VerifyAsync(string credential, CancellationToken cancellationToken) => codec.VerifyAsync(credential, time.GetUtcNow());
}
