using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary><c>spec.sync.profiles.&lt;name&gt;</c>. Absent optional fields inherit from <see cref="SyncDefaults"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record SyncProfile
{
    [Id(0), Required, MinLength(1)] public IReadOnlyList<Mapping> Mappings { get; init; } = [];
    [Id(1)] public IReadOnlyList<string>? ExcludePatterns { get; init; }
    [Id(2)] public IReadOnlyDictionary<string, string>? Vars { get; init; }
    [Id(3), Range(SyncDefaults.MinSyncPeriod, SyncDefaults.MaxSyncPeriod)] public int? SyncPeriod { get; init; }
    [Id(4)] public bool? DryRun { get; init; }
    [Id(5), AllowedValues(Resources.DesignerSessionPolicy.Proceed, Resources.DesignerSessionPolicy.Wait, Resources.DesignerSessionPolicy.Fail)] public string? DesignerSessionPolicy { get; init; }
    [Id(6)] public bool? Paused { get; init; }
}
