using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record GatewaySyncSpec
{
    [Id(0), Required] public GitSpec Git { get; init; } = new();
    [Id(1)] public PollingSpec? Polling { get; init; }
    [Id(2), Required] public GatewaySpec Gateway { get; init; } = new();
    [Id(3), Required] public SyncSpec Sync { get; init; } = new();
    [Id(4)] public AgentSpec? Agent { get; init; }
    [Id(5)] public bool? Paused { get; init; }
}
