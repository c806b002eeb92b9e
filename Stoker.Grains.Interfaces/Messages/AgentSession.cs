namespace Stoker.Grains.Interfaces.Messages;

/// <summary>What a Gateway grain answers a registration it accepted.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentSession
{
    /// <summary>
    /// The session's secret: the agent presents it with every heartbeat, report and re-registration; a call without
    /// it cannot act for the gateway while the session is live.
    /// </summary>
    [Id(0)] public string Token { get; init; } = "";

    /// <summary>The gateway's current desired state, if any.</summary>
    [Id(1)] public DesiredState? Desired { get; init; }
}
