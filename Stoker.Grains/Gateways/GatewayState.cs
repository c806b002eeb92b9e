using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Gateways;

/// <summary>The persisted part of a Gateway grain; the agent session lives in memory only.</summary>
[GenerateSerializer]
public sealed class GatewayState
{
    [Id(0)] public DesiredState? Desired { get; set; }
    [Id(1)] public SyncReport? LastReport { get; set; }

    /// <summary>The newest reports first, at most <see cref="GatewayGrain.HistoryLength"/>.</summary>
    [Id(2)] public List<SyncReport> History { get; set; } = [];
}
