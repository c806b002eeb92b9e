using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record GatewaySyncStatus
{
    [Id(0)] public long? ObservedGeneration { get; init; }
    [Id(1)] public DateTimeOffset? LastSyncTime { get; init; }
    [Id(2)] public string? LastSyncRef { get; init; }
    [Id(3)] public string? LastSyncCommit { get; init; }
    [Id(4)] public string? LastSyncCommitShort { get; init; }
    [Id(5), AllowedValues(Resources.RefResolutionStatus.NotResolved, Resources.RefResolutionStatus.Resolving, Resources.RefResolutionStatus.Resolved, Resources.RefResolutionStatus.Error)] public string? RefResolutionStatus { get; init; }
    [Id(6)] public int? ProfileCount { get; init; }
    [Id(7)] public IReadOnlyList<DiscoveredGateway>? DiscoveredGateways { get; init; }
    [Id(8)] public IReadOnlyList<Condition>? Conditions { get; init; }
}
