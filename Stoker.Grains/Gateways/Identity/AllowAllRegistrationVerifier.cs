using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Gateways.Identity;

/// <summary>
/// Local mode: every registration may act for the gateway it names, as before agents had identities; a token, if one is
/// sent, is ignored. The session token still keeps a second agent from taking over a live session.
/// </summary>
public sealed class AllowAllRegistrationVerifier : IAgentRegistrationVerifier
{
    public Task<RegistrationVerdict> VerifyAsync(string gatewayKey, AgentRegistration registration, AgentIdentityToken? token, CancellationToken cancellationToken) =>
        Task.FromResult(RegistrationVerdict.Accepted);
}
