namespace Stoker.AgentClient.Sync;

/// <summary>
/// The part of the data directory a sync may touch, scanned without following symlinks: everything under the
/// managed roots (minus excluded and protected paths), plus the directories on the way down to them.
/// </summary>
internal sealed class LiveTree
{
    /// <summary>Regular files under a managed root.</summary>
    public Dictionary<string, LiveFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Directories under a managed root.</summary>
    public HashSet<string> Directories { get; } = new(StringComparer.Ordinal);

    /// <summary>Every symlink met, under a root or on the way to one; never entered, replaced or deleted.</summary>
    public HashSet<string> Symlinks { get; } = new(StringComparer.Ordinal);

    /// <summary>Files on the way to a root that are not directories (a conflict if a root must pass through them).</summary>
    public HashSet<string> NonDirectoriesOnTheWay { get; } = new(StringComparer.Ordinal);

    /// <summary>Temporary files of an earlier, interrupted sync.</summary>
    public List<string> Temporary { get; } = [];

    public static LiveTree Scan(string dataDirectory, ManagedRoots roots, PathFilter filter)
    {
        var live = new LiveTree();
        if (Directory.Exists(dataDirectory))
        {
            live.Walk(dataDirectory, "", roots, filter);
        }

        return live;
    }

    private static readonly EnumerationOptions Options = new()
    {
        AttributesToSkip = 0, // dot-files count as hidden on Unix and must be seen
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    private void Walk(string absolute, string relative, ManagedRoots roots, PathFilter filter)
    {
        foreach (var info in new DirectoryInfo(absolute).EnumerateFileSystemInfos("*", Options))
        {
            var path = SyncPaths.Join(relative, info.Name);
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                Symlinks.Add(path);
                continue;
            }

            var isDirectory = info is DirectoryInfo;
            if (!isDirectory && AtomicFile.IsTemporary(info.Name) && (roots.Contains(path) || roots.IsAncestorOfRoot(relative) || roots.Contains(relative)))
            {
                Temporary.Add(path);
                continue;
            }

            if (filter.MatchesItself(path))
            {
                continue;
            }

            var managed = roots.Contains(path);
            if (isDirectory)
            {
                if (managed)
                {
                    Directories.Add(path);
                    Walk(info.FullName, path, roots, filter);
                }
                else if (roots.IsAncestorOfRoot(path))
                {
                    Walk(info.FullName, path, roots, filter);
                }

                continue;
            }

            if (!managed)
            {
                if (roots.IsAncestorOfRoot(path))
                {
                    NonDirectoriesOnTheWay.Add(path);
                }

                continue;
            }

            var file = (FileInfo)info;
            Files[path] = new LiveFile(file.Length, file.LastWriteTimeUtc.Ticks);
        }
    }
}
