using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Sync;

/// <summary>The outcome of one successful sync (or dry run). Lists hold '/'-separated data-directory-relative paths, sorted.</summary>
public sealed record SyncResult
{
    public required string Commit { get; init; }
    public bool DryRun { get; init; }
    public IReadOnlyList<string> Added { get; init; } = [];
    public IReadOnlyList<string> Modified { get; init; } = [];
    public IReadOnlyList<string> Deleted { get; init; } = [];

    /// <summary>Directories directly under <c>projects/</c> after the sync, sorted; null when there are none (docs/sync-engine.md).</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    public IReadOnlyList<SkippedSource> Skipped { get; init; } = [];
    public IReadOnlyList<DriftedFile> Drift { get; init; } = [];

    /// <summary>True when the desired tree came from the last manifest plus the git tree diff instead of a full walk.</summary>
    public bool Incremental { get; init; }

    /// <summary>
    /// True when the live tree was scanned in full (the verification pass); false when the last manifest plus the
    /// caller's change feed (<see cref="SyncRequest.ChangedSinceManifest"/>) stood in for the scan.
    /// </summary>
    public bool Verified { get; init; } = true;

    /// <summary>Files actually replaced on disk (0 for a dry run).</summary>
    public int FilesWritten { get; init; }

    /// <summary>Live files whose content had to be read because the manifest could not vouch for them.</summary>
    public int FilesHashed { get; init; }

    /// <summary>Files whose content went through templating or patching in this sync.</summary>
    public int FilesRendered { get; init; }

    /// <summary>Files the plan puts in the data directory.</summary>
    public int FilesDesired { get; init; }

    /// <summary>
    /// Desired files compared with the live tree: all of them after a scan; with a trusted manifest and change feed only
    /// those the commit's tree diff or the feed touched (the others are as the manifest recorded them on both sides).
    /// </summary>
    public int FilesCompared { get; init; }

    public TimeSpan Duration { get; init; }

    public int FilesChanged => Added.Count + Modified.Count + Deleted.Count;

    /// <summary>The engine's part of a report; the agent adds status, scan result, times and versions.</summary>
    public SyncReport ToReport() => new()
    {
        SyncedCommit = Commit,
        LastSyncDuration = Duration,
        FilesChanged = FilesChanged,
        ProjectsSynced = Projects ?? [],
        DryRun = DryRun,
        FilesAdded = Added.Count,
        FilesModified = Modified.Count,
        FilesDeleted = Deleted.Count,
        AddedPaths = SyncReport.Cap(Added),
        ModifiedPaths = SyncReport.Cap(Modified),
        DeletedPaths = SyncReport.Cap(Deleted),
        DriftedPaths = SyncReport.Cap(Drift.Select(d => d.Path)),
    };
}
