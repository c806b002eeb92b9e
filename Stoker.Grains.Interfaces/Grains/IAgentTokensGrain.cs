using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>
/// The local-mode agent tokens of the cluster (one grain, key <see cref="AllKey"/>): which were minted and which are
/// revoked, each until it expires. Every silo keeps a copy of the revoked ids (docs/security.md, "Agent credentials").
/// </summary>
public interface IAgentTokensGrain : IGrainWithStringKey
{
    public const string AllKey = "all";

    Task Issued(AgentTokenRecord token);

    /// <summary>Revokes a minted token; null when no unexpired token has that id. Revoking twice answers the same.</summary>
    Task<AgentTokenRecord?> Revoke(string id);

    Task<AgentTokenRevocations> GetRevocations();
}
