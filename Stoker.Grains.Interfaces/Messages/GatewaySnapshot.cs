namespace Stoker.Grains.Interfaces.Messages;

/// <summary>Everything a Gateway grain holds, for status aggregation and inspection.</summary>
[GenerateSerializer, Immutable]
public sealed record GatewaySnapshot
{
    [Id(0)] public string Key { get; init; } = "";
    /// <summary>The desired state the grain built from its current release (null before it has one).</summary>
    [Id(1)] public DesiredState? Desired { get; init; }
    [Id(2)] public AgentRegistration? Agent { get; init; }
    [Id(3)] public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>Whether an agent session is live (registered and heard from within the observer expiry).</summary>
    [Id(4)] public bool AgentConnected { get; init; }
    [Id(5)] public SyncReport? LastReport { get; init; }
    [Id(6)] public IReadOnlyList<SyncReport> History { get; init; } = [];
}
