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

    private readonly Lock _gate = new();

    public static LiveTree Scan(string dataDirectory, ManagedRoots roots, PathFilter filter)
    {
        var live = new LiveTree();
        if (Directory.Exists(dataDirectory))
        {
            try
            {
                live.Walk(dataDirectory, "", roots, filter);
            }
            catch (AggregateException e) when (e.Flatten().InnerExceptions is [var first, ..])
            {
                // Sibling directories are scanned in parallel; report the first failure as the sequential walk did.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            }

            live.Temporary.Sort(StringComparer.Ordinal);
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

    /// <summary>
    /// Reads one directory, records what it holds, then walks its subdirectories, siblings in parallel: a scan is one
    /// stat per file, and on 20,000 files two cores halve it (measured 300 → 170 ms). The filter and the roots are only
    /// read; each directory's findings are added under one lock.
    /// </summary>
    private void Walk(string absolute, string relative, ManagedRoots roots, PathFilter filter)
    {
        var subdirectories = new List<(string Absolute, string Relative)>();
        var files = new List<(string Path, LiveFile File)>();
        var directories = new List<string>();
        var symlinks = new List<string>();
        var onTheWay = new List<string>();
        var temporary = new List<string>();
        foreach (var info in new DirectoryInfo(absolute).EnumerateFileSystemInfos("*", Options))
        {
            var path = SyncPaths.Join(relative, info.Name);
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                symlinks.Add(path);
                continue;
            }

            var isDirectory = info is DirectoryInfo;
            if (!isDirectory && AtomicFile.IsTemporary(info.Name) && (roots.Contains(path) || roots.IsAncestorOfRoot(relative) || roots.Contains(relative)))
            {
                temporary.Add(path);
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
                    directories.Add(path);
                    subdirectories.Add((info.FullName, path));
                }
                else if (roots.IsAncestorOfRoot(path))
                {
                    subdirectories.Add((info.FullName, path));
                }

                continue;
            }

            if (!managed)
            {
                if (roots.IsAncestorOfRoot(path))
                {
                    onTheWay.Add(path);
                }

                continue;
            }

            var file = (FileInfo)info;
            files.Add((path, new LiveFile(file.Length, file.LastWriteTimeUtc.Ticks)));
        }

        lock (_gate)
        {
            foreach (var (path, file) in files)
            {
                Files[path] = file;
            }

            Directories.UnionWith(directories);
            Symlinks.UnionWith(symlinks);
            NonDirectoriesOnTheWay.UnionWith(onTheWay);
            Temporary.AddRange(temporary);
        }

        if (subdirectories.Count > 1)
        {
            Parallel.ForEach(subdirectories, d => Walk(d.Absolute, d.Relative, roots, filter));
        }
        else if (subdirectories.Count == 1)
        {
            Walk(subdirectories[0].Absolute, subdirectories[0].Relative, roots, filter);
        }
    }
}
