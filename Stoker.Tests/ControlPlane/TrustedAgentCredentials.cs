using System.Collections.Concurrent;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Security;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// A TRUSTED test client's outgoing filter: it holds the cluster's agent-token key and mints, for every call, a
/// token for the very grain it calls, so one client can play many agents (the fan-out tests, the benchmarks'
/// simulated fleets). Real agents hold one token for one gateway; tests of the per-call check use untrusted clients.
/// </summary>
public sealed class TrustedAgentCredentials(string keyFile) : IOutgoingGrainCallFilter
{
    private readonly Lazy<AgentTokenCodec> _codec = new(() => new AgentTokenCodec(AgentTokenKey.Load(keyFile)));
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.TargetId.IsSystemTarget())
        {
            var key = context.TargetId.Key.ToString();
            RequestContext.Set(AgentCredential.RequestContextKey,
                _tokens.GetOrAdd(key, k => _codec.Value.Mint(k, TimeProvider.System.GetUtcNow(), TimeSpan.FromDays(1)).Token));
        }

        return context.Invoke();
    }
}
