namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// The outcome of one sync, as the agent reports it: every field of the original's per-gateway status entry
/// plus capped lists of the paths that changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SyncReport
{
    /// <summary>How many paths each list carries at most; the counts are always exact.</summary>
    public const int MaxListedPaths = 100;

    [Id(0)] public long DesiredVersion { get; init; }
    [Id(1)] public string SyncStatus { get; init; } = Messages.SyncStatus.Pending;
    [Id(2)] public string SyncedCommit { get; init; } = "";
    [Id(3)] public string SyncedRef { get; init; } = "";
    [Id(4)] public DateTimeOffset LastSyncTime { get; init; }
    [Id(5)] public TimeSpan LastSyncDuration { get; init; }
    [Id(6)] public string AgentVersion { get; init; } = "";
    [Id(7)] public string LastScanResult { get; init; } = "";
    [Id(8)] public int FilesChanged { get; init; }
    [Id(9)] public IReadOnlyList<string> ProjectsSynced { get; init; } = [];
    [Id(10)] public string? ErrorMessage { get; init; }
    [Id(11)] public string? ProfileName { get; init; }
    [Id(12)] public bool DryRun { get; init; }
    [Id(13)] public int FilesAdded { get; init; }
    [Id(14)] public int FilesModified { get; init; }
    [Id(15)] public int FilesDeleted { get; init; }
    [Id(16)] public IReadOnlyList<string> AddedPaths { get; init; } = [];
    [Id(17)] public IReadOnlyList<string> ModifiedPaths { get; init; } = [];
    [Id(18)] public IReadOnlyList<string> DeletedPaths { get; init; } = [];
    [Id(19)] public bool DesignerSessionsBlocked { get; init; }

    /// <summary>Files changed or removed behind Stoker's back, found by the verification pass.</summary>
    [Id(20)] public IReadOnlyList<string> DriftedPaths { get; init; } = [];

    /// <summary>Caps a path list at <see cref="MaxListedPaths"/>.</summary>
    public static IReadOnlyList<string> Cap(IEnumerable<string> paths) => paths.Take(MaxListedPaths).ToList();
}
