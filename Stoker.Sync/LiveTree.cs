using System.IO.Enumeration;

namespace Stoker.Sync;

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

    /// <summary>
    /// After <see cref="FromManifest"/>: the paths looked at again on disk, and of them those that were or are folders
    /// (everything below such a folder was looked at too). Every other file is as the manifest recorded it.
    /// </summary>
    public HashSet<string> Refreshed { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc cref="Refreshed"/>
    public List<string> RefreshedFolders { get; } = [];

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

    /// <summary>
    /// The live tree as the last sync left it (its manifest) with <paramref name="changedPaths"/> looked at again: the
    /// change feed's answer to "what may differ from the manifest". Each changed path is stat'ed (a directory walked),
    /// so a file edited, deleted or created by hand is seen exactly as a full scan would see it. Returns null when the
    /// changes cannot be applied to the manifest's picture safely (a folder on the way to a managed root changed, or
    /// too many folders changed to be cheaper than a scan): the caller then scans in full.
    /// </summary>
    public static LiveTree? FromManifest(SyncManifest manifest, string dataDirectory, ManagedRoots roots, PathFilter filter, IEnumerable<string> changedPaths)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return null;
        }

        var live = new LiveTree();
        foreach (var (path, file) in manifest.Files)
        {
            live.Files[path] = new LiveFile(file.Size, file.ModifiedTicks);
        }

        live.Directories.UnionWith(manifest.Directories);
        var folders = 0;
        foreach (var path in changedPaths.Select(SyncPaths.Clean).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (path == ".." || path.StartsWith("../", StringComparison.Ordinal))
            {
                continue; // not in the data directory
            }

            if (path.Length == 0 || roots.IsAncestorOfRoot(path))
            {
                return null; // the way down to a root changed (replaced by a file or a symlink, removed): only a walk can tell
            }

            if (!roots.Contains(path) || SyncPaths.Ancestors(path).Any(a => live.Symlinks.Contains(a) || (roots.Contains(a) && filter.MatchesItself(a))))
            {
                continue; // outside what a sync touches, inside an excluded folder, or behind a symlink the scan never enters
            }

            if (live.Directories.Contains(path) && ++folders > MaxFolderRefreshes)
            {
                return null;
            }

            if (!live.Refresh(dataDirectory, path, roots, filter))
            {
                return null;
            }
        }

        live.Temporary.Sort(StringComparer.Ordinal);
        return live;
    }

    /// <summary>Beyond this many changed folders a full scan is cheaper than pruning the picture folder by folder.</summary>
    private const int MaxFolderRefreshes = 64;

    /// <summary>Forgets what the picture holds at and below <paramref name="path"/>, then looks at it on disk again.</summary>
    private bool Refresh(string dataDirectory, string path, ManagedRoots roots, PathFilter filter)
    {
        Refreshed.Add(path);
        if (Directories.Remove(path) || Files.Keys.Any(k => k.Length > path.Length && k[path.Length] == '/' && k.StartsWith(path, StringComparison.Ordinal)))
        {
            RefreshedFolders.Add(path);
            var prefix = path + "/";
            foreach (var key in Files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                Files.Remove(key);
            }

            Directories.RemoveWhere(d => d.StartsWith(prefix, StringComparison.Ordinal));
            Symlinks.RemoveWhere(d => d.StartsWith(prefix, StringComparison.Ordinal));
            Temporary.RemoveAll(d => d.StartsWith(prefix, StringComparison.Ordinal));
        }

        Files.Remove(path);
        Symlinks.Remove(path);
        Temporary.Remove(path);

        FileSystemInfo info = new FileInfo(Path.Join(dataDirectory, path));
        if (!info.Exists)
        {
            info = new DirectoryInfo(info.FullName);
            if (!info.Exists)
            {
                return true; // gone (or never there)
            }
        }

        if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            Symlinks.Add(path);
            return true;
        }

        if (info is FileInfo file)
        {
            if (AtomicFile.IsTemporary(file.Name))
            {
                Temporary.Add(path);
            }
            else if (!filter.MatchesItself(path))
            {
                Files[path] = new LiveFile(file.Length, file.LastWriteTimeUtc.Ticks);
            }

            return true;
        }

        if (filter.MatchesItself(path))
        {
            return true;
        }

        Directories.Add(path);
        if (RefreshedFolders.Count == 0 || RefreshedFolders[^1] != path)
        {
            RefreshedFolders.Add(path);
        }

        try
        {
            Walk(info.FullName, path, roots, filter);
        }
        catch (Exception e) when (e is DirectoryNotFoundException || (e is AggregateException a && a.Flatten().InnerExceptions.All(i => i is DirectoryNotFoundException)))
        {
            return false; // removed while being read: let a full scan settle it
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions is [var first, ..])
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        return true;
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
        // Entries are read straight from the enumeration (name, kind, and for files the size and mtime of the one stat it
        // makes): no FileInfo and full path per file, which were most of a scan's allocations.
        var entries = new FileSystemEnumerable<(string Name, EntryKind Kind, long Size, long ModifiedTicks)>(absolute, static (ref FileSystemEntry e) =>
            (e.Attributes & FileAttributes.ReparsePoint) != 0 ? (e.FileName.ToString(), EntryKind.Symlink, 0, 0)
            : e.IsDirectory ? (e.FileName.ToString(), EntryKind.Directory, 0, 0)
            : (e.FileName.ToString(), EntryKind.File, e.Length, e.LastWriteTimeUtc.UtcDateTime.Ticks), Options);
        foreach (var info in entries)
        {
            var path = SyncPaths.Join(relative, info.Name);
            if (info.Kind == EntryKind.Symlink)
            {
                symlinks.Add(path);
                continue;
            }

            var isDirectory = info.Kind == EntryKind.Directory;
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
                    subdirectories.Add((Path.Join(absolute, info.Name), path));
                }
                else if (roots.IsAncestorOfRoot(path))
                {
                    subdirectories.Add((Path.Join(absolute, info.Name), path));
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

            files.Add((path, new LiveFile(info.Size, info.ModifiedTicks)));
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
