namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// A desired state as the Gateway grain pushes it: the state's serialized bytes and an HMAC-SHA256 over them keyed by
/// the agent's session (<see cref="Security.DesiredStateSeal"/>). Only the grain and the agent know the session token,
/// so an agent takes a push only from its Gateway grain: another Orleans client that learnt the agent's observer id can
/// send it messages, but not one it accepts (docs/security.md, "Pushes").
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DesiredStatePush
{
    [Id(0)] public byte[] State { get; init; } = [];

    [Id(1)] public byte[] Seal { get; init; } = [];
}
