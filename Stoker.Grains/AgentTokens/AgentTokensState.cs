using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.AgentTokens;

[GenerateSerializer]
public sealed class AgentTokensState
{
    [Id(0)] public Dictionary<string, AgentTokenRecord> Issued { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public Dictionary<string, AgentTokenRecord> Revoked { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public long Version { get; set; }
}
