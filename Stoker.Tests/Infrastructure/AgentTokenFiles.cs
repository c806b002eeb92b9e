using Stoker.Silo.Security;

namespace Stoker.Tests.Infrastructure;

/// <summary>Agent tokens for test agents, minted with a silo's key file as <c>stoker agent-token create</c> would mint them.</summary>
public static class AgentTokenFiles
{
    public static MintedAgentToken Mint(string keyFile, string gatewayKey, TimeSpan? ttl = null, DateTimeOffset? issuedAt = null) =>
        new AgentTokenCodec(AgentTokenKey.Load(keyFile)).Mint(gatewayKey, issuedAt ?? TimeProvider.System.GetUtcNow(), ttl ?? TimeSpan.FromDays(1));

    /// <summary>Writes a token for <paramref name="gatewayKey"/> to <paramref name="path"/> (what <c>AGENT_TOKEN_FILE</c> names); returns the path.</summary>
    public static string Write(string keyFile, string gatewayKey, string path)
    {
        File.WriteAllText(path, Mint(keyFile, gatewayKey).Token + "\n");
        return path;
    }
}
