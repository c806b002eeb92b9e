using System.Collections.Frozen;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Security;

namespace Stoker.Bench.Propagation;

/// <summary>
/// The simulated agents' credentials: one token per gateway, minted up front with the silo's key (as
/// <c>stoker agent-token create</c> mints them), sent on every call to that gateway's grain as the real agent sends its own.
/// </summary>
public sealed class FleetCredentials(string keyFile, IReadOnlyList<string> gatewayKeys) : IOutgoingGrainCallFilter
{
    private readonly FrozenDictionary<string, string> _tokens = Mint(keyFile, gatewayKeys);

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.TargetId.IsSystemTarget() && _tokens.TryGetValue(context.TargetId.Key.ToString(), out var token))
        {
            RequestContext.Set(AgentCredential.RequestContextKey, token);
        }

        return context.Invoke();
    }

    private static FrozenDictionary<string, string> Mint(string keyFile, IReadOnlyList<string> gatewayKeys)
    {
        var codec = new AgentTokenCodec(AgentTokenKey.Load(keyFile));
        var now = TimeProvider.System.GetUtcNow();
        return gatewayKeys.Distinct(StringComparer.Ordinal).ToFrozenDictionary(k => k, k => codec.Mint(k, now, TimeSpan.FromDays(1)).Token, StringComparer.Ordinal);
    }
}
