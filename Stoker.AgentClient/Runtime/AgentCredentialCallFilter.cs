using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Puts the agent's credential (<c>AGENT_TOKEN_FILE</c>) into the request context of every grain call, where the silo
/// checks it (docs/standalone-agent.md, "Credential"). The file is read again when the last read is older than
/// <see cref="RereadAfter"/>: a projected service-account token is replaced by the kubelet before it expires, and a
/// local-mode token may be replaced by hand. Without the setting nothing is sent and the silo refuses the calls.
/// </summary>
public sealed class AgentCredentialCallFilter(AgentOptions options, TimeProvider time) : IOutgoingGrainCallFilter
{
    public static readonly TimeSpan RereadAfter = TimeSpan.FromSeconds(1);

    private volatile CachedToken? _cached;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Orleans' own calls (the client's runtime asking for the cluster's type map) need no credential.
        if (options.AgentTokenFile is { } path && !context.TargetId.IsSystemTarget() && Current(path) is { } token)
        {
            RequestContext.Set(AgentCredential.RequestContextKey, token.Value);
        }

        return context.Invoke();
    }

    /// <summary>
    /// The token, or null when the file cannot be read and nothing was read before: the call then goes without one
    /// and the silo refuses it (no_credential); the registration reports the file's problem itself.
    /// </summary>
    private AgentIdentityToken? Current(string path)
    {
        var now = time.GetTimestamp();
        var cached = _cached;
        if (cached is not null && time.GetElapsedTime(cached.ReadAt, now) < RereadAfter)
        {
            return cached.Token;
        }

        try
        {
            var token = AgentTokenFile.Read(path);
            _cached = new CachedToken(token, now);
            return token;
        }
        catch (AgentTokenException)
        {
            // Mid-replacement (or briefly unreadable): the last token read is still the best credential there is.
            return cached?.Token;
        }
    }

    private sealed record CachedToken(AgentIdentityToken Token, long ReadAt);
}
