using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Gateways;

/// <summary>
/// The persisted part of a Gateway grain: its inputs and its agent's reports (kept here only; the GatewaySync keeps a
/// summary). The desired state is not stored: it is rebuilt from the GatewaySync's stored release and the inputs.
/// The agent session lives in memory only.
/// </summary>
[GenerateSerializer]
public sealed class GatewayState
{
    [Id(1)] public SyncReport? LastReport { get; set; }

    /// <summary>The newest reports first, at most <see cref="GatewayGrain.HistoryLength"/>.</summary>
    [Id(2)] public List<SyncReport> History { get; set; } = [];
    [Id(3)] public GatewayInputs Inputs { get; set; } = new();
}
