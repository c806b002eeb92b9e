namespace Stoker.Grains.Interfaces.Messages;

/// <summary>The ids of revoked agent tokens that have not expired yet, with a version that grows at every change.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentTokenRevocations(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<AgentTokenRecord> Revoked);
