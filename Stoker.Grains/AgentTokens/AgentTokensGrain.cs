using Stoker.Grains.Interfaces;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.AgentTokens;

/// <summary>
/// Minted and revoked local-mode agent tokens. Expired entries are dropped at every write: an expired token is refused
/// by its own <c>exp</c>, so nobody needs to remember it, and the state stays as small as the set of live tokens.
/// </summary>
public sealed class AgentTokensGrain(
    [PersistentState("agent-tokens", StokerStorage.Name)] IPersistentState<AgentTokensState> state,
    TimeProvider time) : Grain, IAgentTokensGrain
{
    /// <summary>Minted tokens remembered for revocation by id; past it the oldest-expiring are forgotten (they can still be revoked by token).</summary>
    public const int MaxIssued = 100_000;

    public async Task Issued(AgentTokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Prune();
        if (state.State.Issued.Count >= MaxIssued)
        {
            var oldest = state.State.Issued.Values.MinBy(t => t.ExpiresAt)!;
            state.State.Issued.Remove(oldest.Id);
        }

        state.State.Issued[token.Id] = token;
        await state.WriteStateAsync();
    }

    public async Task<AgentTokenRecord?> Revoke(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Prune();
        if (state.State.Revoked.TryGetValue(id, out var revoked))
        {
            return revoked;
        }

        if (!state.State.Issued.Remove(id, out var token))
        {
            return null;
        }

        state.State.Revoked[id] = token;
        state.State.Version++;
        await state.WriteStateAsync();
        return token;
    }

    public Task<AgentTokenRevocations> GetRevocations() =>
        Task.FromResult(new AgentTokenRevocations(state.State.Version, [.. state.State.Revoked.Values]));

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var table in new[] { state.State.Issued, state.State.Revoked })
        {
            foreach (var expired in table.Values.Where(t => t.ExpiresAt <= now).Select(t => t.Id).ToList())
            {
                table.Remove(expired);
            }
        }
    }
}
