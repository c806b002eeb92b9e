namespace Stoker.Sync;

/// <summary>
/// What the last completed sync of one data directory produced. Kept in the agent's work directory, never in
/// the data directory, and written last (atomically), so a sync that dies midway leaves the previous manifest
/// in place and the next run re-checks the files it may have touched.
/// </summary>
public sealed record SyncManifest
{
    /// <summary>Bumped when the meaning of any field changes; a manifest of another version is ignored.</summary>
    public const int CurrentVersion = 2;

    public int Version { get; init; } = CurrentVersion;
    public string DataDirectory { get; init; } = "";
    public string Commit { get; init; } = "";

    /// <summary>Hash of everything that decides which files exist (rendered mappings, inferred types, excludes).</summary>
    public string PlanKey { get; init; } = "";

    public SortedDictionary<string, ManifestFile> Files { get; init; } = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Directories { get; init; } = [];
    public IReadOnlyList<SkippedSource> Skipped { get; init; } = [];
}
