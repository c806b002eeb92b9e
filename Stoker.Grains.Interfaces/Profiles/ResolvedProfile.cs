using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Profiles;

/// <summary>A profile with <c>spec.sync.defaults</c> merged in: everything an agent needs to sync a gateway.</summary>
[GenerateSerializer, Immutable]
public sealed record ResolvedProfile
{
    [Id(0)] public IReadOnlyList<Mapping> Mappings { get; init; } = [];

    /// <summary>Defaults' patterns, then the profile's, then the always-enforced ones; trimmed, de-duplicated.</summary>
    [Id(1)] public IReadOnlyList<string> ExcludePatterns { get; init; } = [];

    [Id(2)] public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();
    [Id(3)] public int SyncPeriod { get; init; } = SyncDefaults.DefaultSyncPeriod;
    [Id(4)] public bool DryRun { get; init; }
    [Id(5)] public string DesignerSessionPolicy { get; init; } = Resources.DesignerSessionPolicy.Proceed;
    [Id(6)] public bool Paused { get; init; }
}
