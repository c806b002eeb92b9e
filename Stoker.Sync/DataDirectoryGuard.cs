namespace Stoker.Sync;

/// <summary>
/// The last check before the engine writes, creates or deletes anything: the final relative path (after templating
/// and joining) must be plain segments, must resolve inside the data directory, and no folder on the way to it may be
/// a symlink (a symlinked folder inside the data directory can point anywhere). Entry names are already refused by
/// the source tree and rendered paths by <see cref="SyncPaths.ValidateRendered"/>; this is the defence in depth
/// behind both, so that no future path source can write outside (docs/sync-engine.md, safety guarantees).
/// <para>
/// Folders found to be real directories are remembered for the rest of the sync (only this sync changes them; a
/// concurrent writer in the data directory is out of scope, docs/sync-engine.md), so a sync of 20,000 files costs
/// one lstat per folder, plus one per file written.
/// </para>
/// </summary>
internal sealed class DataDirectoryGuard(string dataDirectory)
{
    private readonly HashSet<string> _realDirectories = new(StringComparer.Ordinal);

    /// <summary>The absolute path of <paramref name="relative"/>, after every check; <paramref name="action"/> names the operation in errors.</summary>
    /// <param name="checkTarget">Whether the path itself must not be a symlink either (true for files written or deleted).</param>
    public string Resolve(string relative, string action, bool checkTarget)
    {
        if (relative.Length == 0)
        {
            return dataDirectory;
        }

        foreach (var segment in relative.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Contains('\0', StringComparison.Ordinal))
            {
                throw new SyncException($"refusing to {action} {SyncPaths.Quote(relative)}: it is not a plain path inside the data directory");
            }
        }

        var full = SyncPaths.Contained(dataDirectory, relative, $"refusing to {action}");
        foreach (var ancestor in SyncPaths.Ancestors(relative))
        {
            if (_realDirectories.Contains(ancestor))
            {
                continue;
            }

            var info = new DirectoryInfo(Path.Join(dataDirectory, ancestor));
            if (info.LinkTarget is not null)
            {
                throw new SyncException(
                    $"refusing to {action} {relative}: {ancestor} in the data directory is a symlink, and symlinks in the data directory are never followed");
            }

            if (info.Exists)
            {
                _realDirectories.Add(ancestor);
            }
        }

        if (checkTarget && new FileInfo(full).LinkTarget is not null)
        {
            throw new SyncException($"refusing to {action} {relative}: it is a symlink in the data directory, and symlinks in the data directory are never followed or replaced");
        }

        return full;
    }
}
