using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Silo.Security;

/// <summary>
/// Local mode's minting and revoking of agent tokens (<c>POST/DELETE /api/v1/agent-tokens</c>): each minted token's
/// id is recorded in <see cref="IAgentTokensGrain"/> so it can be revoked by id; a revocation is applied to this silo's
/// <see cref="AgentTokenRevocationList"/> at once and reaches the other silos at their next reload.
/// </summary>
public sealed partial class AgentTokenIssuer(
    AgentTokenCodec codec,
    AgentTokenRevocationList revocations,
    IGrainFactory grains,
    IOptions<AgentCredentialOptions> options,
    TimeProvider time,
    ILogger<AgentTokenIssuer> logger)
{
    public TimeSpan DefaultTtl => options.Value.DefaultTokenTtl;

    public TimeSpan MaxTtl => options.Value.MaxTokenTtl;

    public async Task<MintedAgentToken> MintAsync(string gatewayKey, TimeSpan ttl)
    {
        var minted = codec.Mint(gatewayKey, time.GetUtcNow(), ttl);
        await Tokens.Issued(new AgentTokenRecord(minted.Id, minted.Gateway, minted.ExpiresAt));
        LogMinted(logger, minted.Id, minted.Gateway, minted.ExpiresAt);
        return minted;
    }

    /// <summary>The revoked token's record, or null when no unexpired minted token has that id.</summary>
    public async Task<AgentTokenRecord?> RevokeAsync(string id)
    {
        var revoked = await Tokens.Revoke(id);
        if (revoked is not null)
        {
            revocations.Apply(await Tokens.GetRevocations());
            LogRevoked(logger, revoked.Id, revoked.Gateway);
        }

        return revoked;
    }

    private IAgentTokensGrain Tokens => grains.GetGrain<IAgentTokensGrain>(IAgentTokensGrain.AllKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent token {Id} minted for gateway {Gateway}, expires {ExpiresAt:u}")]
    private static partial void LogMinted(ILogger logger, string id, string gateway, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent token {Id} for gateway {Gateway} revoked")]
    private static partial void LogRevoked(ILogger logger, string id, string gateway);
}
