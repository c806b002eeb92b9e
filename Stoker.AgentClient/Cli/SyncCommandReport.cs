using Stoker.Sync;

namespace Stoker.AgentClient.Cli;

/// <summary>What <c>stoker-agent sync</c> prints on stdout, as JSON: the report of the sync (or why it failed).</summary>
internal sealed record SyncCommandReport
{
    public const string Synced = "Synced";
    public const string DryRunStatus = "DryRun";
    public const string Paused = "Paused";
    public const string Error = "Error";

    public required string Status { get; init; }
    public string? Repo { get; init; }
    public string? Ref { get; init; }
    public string? Commit { get; init; }
    public string? Profile { get; init; }
    public string? GatewayName { get; init; }
    public bool DryRun { get; init; }
    public int FilesChanged { get; init; }
    public int FilesAdded { get; init; }
    public int FilesModified { get; init; }
    public int FilesDeleted { get; init; }
    public IReadOnlyList<string> Added { get; init; } = [];
    public IReadOnlyList<string> Modified { get; init; } = [];
    public IReadOnlyList<string> Deleted { get; init; } = [];

    /// <summary>Null when the data directory has no project (as the original reports it).</summary>
    public IReadOnlyList<string>? ProjectsSynced { get; init; }

    public IReadOnlyList<SkippedSource> Skipped { get; init; } = [];
    public IReadOnlyList<DriftedFile> Drift { get; init; } = [];
    public bool Incremental { get; init; }
    public int FilesWritten { get; init; }
    public int FilesHashed { get; init; }
    public double DurationMs { get; init; }
    public string? ErrorMessage { get; init; }

    public static SyncCommandReport From(SyncResult result) => new()
    {
        Status = result.DryRun ? DryRunStatus : Synced,
        Commit = result.Commit,
        DryRun = result.DryRun,
        FilesChanged = result.FilesChanged,
        FilesAdded = result.Added.Count,
        FilesModified = result.Modified.Count,
        FilesDeleted = result.Deleted.Count,
        Added = result.Added,
        Modified = result.Modified,
        Deleted = result.Deleted,
        ProjectsSynced = result.Projects,
        Skipped = result.Skipped,
        Drift = result.Drift,
        Incremental = result.Incremental,
        FilesWritten = result.FilesWritten,
        FilesHashed = result.FilesHashed,
        DurationMs = Math.Round(result.Duration.TotalMilliseconds, 3),
    };
}
