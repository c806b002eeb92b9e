using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary><c>spec.sync.defaults</c>: settings every profile inherits unless it overrides them.</summary>
[GenerateSerializer, Immutable]
public sealed record SyncDefaults
{
    public const int DefaultSyncPeriod = 30;
    public const int MinSyncPeriod = 5;
    public const int MaxSyncPeriod = 3600;

    /// <summary>The CRD default for <c>excludePatterns</c>; also always enforced by the agent.</summary>
    public static IReadOnlyList<string> DefaultExcludePatterns { get; } = ["**/.git/", "**/.gitkeep", "**/.resources/**"];

    [Id(0)] public IReadOnlyList<string> ExcludePatterns { get; init; } = DefaultExcludePatterns;
    [Id(1)] public IReadOnlyDictionary<string, string>? Vars { get; init; }
    [Id(2), Range(MinSyncPeriod, MaxSyncPeriod)] public int SyncPeriod { get; init; } = DefaultSyncPeriod;
    [Id(3), AllowedValues(Resources.DesignerSessionPolicy.Proceed, Resources.DesignerSessionPolicy.Wait, Resources.DesignerSessionPolicy.Fail)] public string DesignerSessionPolicy { get; init; } = Resources.DesignerSessionPolicy.Proceed;
    [Id(4)] public bool? DryRun { get; init; }
    [Id(5)] public bool? Paused { get; init; }
}
