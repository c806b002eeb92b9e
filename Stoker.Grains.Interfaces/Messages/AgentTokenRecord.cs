namespace Stoker.Grains.Interfaces.Messages;

/// <summary>A local-mode agent token the silo minted (its id, never the token), kept until it expires so it can be revoked by id.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentTokenRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Gateway,
    [property: Id(2)] DateTimeOffset ExpiresAt);
