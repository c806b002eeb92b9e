using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record DiscoveredGateway
{
    [Id(0), Required] public string Name { get; init; } = "";
    [Id(1), Required] public string Namespace { get; init; } = "";
    [Id(2), Required] public string PodName { get; init; } = "";
    [Id(3)] public string? ServiceAccountName { get; init; }
    [Id(4)] public string? Profile { get; init; }
    [Id(5), AllowedValues(GatewaySyncStatusValue.Pending, GatewaySyncStatusValue.Synced, GatewaySyncStatusValue.Error, GatewaySyncStatusValue.MissingSidecar)] public string? SyncStatus { get; init; }
    [Id(6)] public DateTimeOffset? LastSyncTime { get; init; }
    [Id(7)] public string? LastSyncDuration { get; init; }
    [Id(8)] public string? SyncedCommit { get; init; }
    [Id(9)] public string? SyncedRef { get; init; }
    [Id(10)] public string? AgentVersion { get; init; }
    [Id(11)] public string? LastScanResult { get; init; }
    [Id(12)] public int? FilesChanged { get; init; }
    [Id(13)] public IReadOnlyList<string>? ProjectsSynced { get; init; }
}
