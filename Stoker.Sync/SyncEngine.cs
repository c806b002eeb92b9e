using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stoker.Sync;

/// <summary>
/// Makes a data directory match a resolved profile at a commit (docs/sync-engine.md).
/// The steps: resolve mappings → desired tree (full walk, or last manifest + tree diff) → scan the live tree →
/// compare (content hashes; the manifest vouches for files whose size and mtime it recorded) → apply
/// (remove temporary debris, delete orphans, write differing files atomically) → save the manifest last.
/// Nothing is written before every check has passed, and nothing is ever written outside the data directory.
/// </summary>
public sealed partial class SyncEngine(TimeProvider timeProvider, ILogger<SyncEngine>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public SyncEngine()
        : this(TimeProvider.System)
    {
    }

    /// <exception cref="SyncException">The sync cannot be carried out; files not yet replaced are untouched.</exception>
    public SyncResult Run(SyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetTimestamp();
        var dataDirectory = FullDirectory(request.DataDirectory, "data directory");
        var stateDirectory = request.StateDirectory is null ? null : FullDirectory(request.StateDirectory, "state directory");
        if (stateDirectory is not null && (stateDirectory == dataDirectory || stateDirectory.StartsWith(dataDirectory + "/", StringComparison.Ordinal)))
        {
            throw new SyncException($"state directory {stateDirectory} must be outside the data directory {dataDirectory}");
        }

        var tree = request.Source;
        var data = TemplateData.Create(request.Context);
        var skipped = new List<SkippedSource>();
        var mappings = MappingResolver.Resolve(request.Profile.Mappings, tree, request.Context, data, skipped);
        var filter = new PathFilter(request.Profile.ExcludePatterns);
        var roots = new ManagedRoots(mappings.Where(m => !m.Skipped).Select(m => m.Destination));
        var store = stateDirectory is null ? null : new ManifestStore(stateDirectory, dataDirectory);
        var manifest = store?.Load();
        var planKey = PlanKey(mappings, filter);

        var builder = new DesiredTreeBuilder(tree, mappings, filter);
        var changed = manifest is null || manifest.PlanKey != planKey ? null
            : manifest.Commit == tree.Commit ? [] : tree.ChangedPathsSince(manifest.Commit);
        var desired = changed is null ? builder.Full() : builder.Incremental(FromManifest(manifest!), changed);
        LogPlanned(_logger, tree.Commit, changed is null ? "full" : "incremental", changed?.Count ?? -1, desired.Files.Count, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        CheckConflicts(desired, mappings);
        cancellationToken.ThrowIfCancellationRequested();

        // With a change feed, the last manifest stands in for the scan and only the paths that may differ from it are
        // looked at (plus the new desired files, in case something sits there already); the feed is trusted only under
        // the same plan, since another plan has other managed roots whose content the manifest never recorded.
        LiveTree? live = null;
        if (request.ChangedSinceManifest is { } changes && manifest is not null && manifest.PlanKey == planKey)
        {
            var newFiles = desired.Redecided is { } redecided ? redecided.Where(p => desired.Files.ContainsKey(p) && !manifest.Files.ContainsKey(p))
                : desired.Files.Keys.Where(p => !manifest.Files.ContainsKey(p));
            live = LiveTree.FromManifest(manifest, dataDirectory, roots, filter, changes.Concat(newFiles));
        }

        var verified = live is null;
        live ??= LiveTree.Scan(dataDirectory, roots, filter);

        // O(changed): with the manifest trusted (change feed) and the desired tree derived from it by a tree diff, a file
        // neither re-decided by the diff nor reported by the feed is, on both sides, what the manifest recorded; only the
        // others are compared (null: all of them).
        var only = verified || desired.Redecided is null ? null : ComparedPaths(desired, live, mappings);
        CheckNoSymlinksInTheWay(desired, live);
        var comparison = Compare(request.DryRun, tree, mappings, desired, only, live, manifest, new ContentRenderer(data), dataDirectory, cancellationToken);
        LogCompared(_logger, comparison.Compared, verified ? "scanned" : "manifest + change feed", comparison.Writes.Count, comparison.Hashed, comparison.Rendered, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        var orphans = (only ?? (IEnumerable<string>)live.Files.Keys).Where(p => live.Files.ContainsKey(p) && !desired.Files.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();

        var written = 0;
        if (!request.DryRun)
        {
            written = Apply(dataDirectory, tree, desired, live, roots, orphans, comparison, cancellationToken);
            var directories = desired.Directories.Order(StringComparer.Ordinal).ToList();
            var skippedSources = desired.SkippedByDestination.Values.SelectMany(s => s).ToList();

            // A re-sync that changed nothing leaves the manifest as it is (it would be written identical, and fsynced).
            var unchanged = manifest is not null && manifest.Commit == tree.Commit && manifest.PlanKey == planKey
                && manifest.Directories.SequenceEqual(directories) && manifest.Skipped.SequenceEqual(skippedSources)
                && (only is null ? SameFiles(manifest.Files, comparison.Manifest) : SameFiles(manifest.Files, comparison.Manifest, only));
            if (store is not null && !unchanged)
            {
                store.Save(new SyncManifest
                {
                    DataDirectory = dataDirectory,
                    Commit = tree.Commit,
                    PlanKey = planKey,
                    Files = only is null ? comparison.Manifest : Merge(manifest!.Files, comparison.Manifest, only),
                    Directories = directories,
                    Skipped = skippedSources,
                });
            }
        }

        var result = new SyncResult
        {
            Commit = tree.Commit,
            DryRun = request.DryRun,
            Added = comparison.Writes.Where(w => !w.Existed).Select(w => w.File.Path).ToList(),
            Modified = comparison.Writes.Where(w => w.Existed).Select(w => w.File.Path).ToList(),
            Deleted = orphans,
            Projects = Projects(dataDirectory),
            Skipped = [.. skipped.Concat(desired.SkippedByDestination.Values.SelectMany(s => s)).OrderBy(s => s.Destination, StringComparer.Ordinal)],
            Drift = comparison.Drift,
            Incremental = changed is not null,
            Verified = verified,
            FilesWritten = written,
            FilesHashed = comparison.Hashed,
            FilesRendered = comparison.Rendered,
            FilesDesired = desired.Files.Count,
            FilesCompared = comparison.Compared,
            Duration = timeProvider.GetElapsedTime(started),
        };
        LogFinished(_logger, tree.Commit, result.Added.Count, result.Modified.Count, result.Deleted.Count, written, result.Duration.TotalMilliseconds);
        return result;
    }

    private static string FullDirectory(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SyncException($"{what}: a path is required");
        }

        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd(Path.DirectorySeparatorChar) : full;
    }

    /// <summary>
    /// Every string length-prefixed, so no two plans encode alike. Written by hand: a cold <c>stoker-agent sync</c> paid
    /// tens of milliseconds warming up reflection-based JSON serialization for this one key.
    /// </summary>
    private static string PlanKey(IReadOnlyList<PlannedMapping> mappings, PathFilter filter)
    {
        var text = new StringBuilder().Append(SyncManifest.CurrentVersion).Append(';');
        void Add(string value) => text.Append(value.Length).Append(':').Append(value).Append(';');
        text.Append(mappings.Count).Append(';');
        foreach (var m in mappings)
        {
            Add(m.Source);
            Add(m.Destination);
            Add(m.Type);
            Add(m.Skipped ? "skipped" : "");
        }

        text.Append(filter.Patterns.Count).Append(';');
        foreach (var pattern in filter.Patterns)
        {
            Add(pattern);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static bool SameFiles(SortedDictionary<string, ManifestFile> previous, SortedDictionary<string, ManifestFile> next)
    {
        if (previous.Count != next.Count)
        {
            return false;
        }

        foreach (var (path, file) in next)
        {
            if (!previous.TryGetValue(path, out var before) || before != file)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the compared paths left the files as <paramref name="previous"/> recorded them (the others were not looked at).</summary>
    private static bool SameFiles(SortedDictionary<string, ManifestFile> previous, SortedDictionary<string, ManifestFile> compared, HashSet<string> only)
    {
        foreach (var path in only)
        {
            var before = previous.GetValueOrDefault(path);
            if (before != compared.GetValueOrDefault(path))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The next manifest's files: the previous ones, with every compared path as the comparison (and apply) left it.</summary>
    private static SortedDictionary<string, ManifestFile> Merge(SortedDictionary<string, ManifestFile> previous, SortedDictionary<string, ManifestFile> compared, HashSet<string> only)
    {
        var next = new SortedDictionary<string, ManifestFile>(previous, StringComparer.Ordinal);
        foreach (var path in only)
        {
            if (compared.TryGetValue(path, out var file))
            {
                next[path] = file;
            }
            else
            {
                next.Remove(path);
            }
        }

        return next;
    }

    /// <summary>
    /// The paths whose desired or live side may differ from the manifest: those the tree diff re-decided, those the change
    /// feed reported (a reported folder: everything below it, on either side), and every file of a mapping that
    /// transforms content (its render key may have changed with the template context; its recorded hash is reused when
    /// not, so this costs no rendering).
    /// </summary>
    private static HashSet<string> ComparedPaths(DesiredTree desired, LiveTree live, IReadOnlyList<PlannedMapping> mappings)
    {
        var only = new HashSet<string>(desired.Redecided!, StringComparer.Ordinal);
        only.UnionWith(live.Refreshed);
        if (live.RefreshedFolders.Count > 0)
        {
            var prefixes = live.RefreshedFolders.Select(f => f + "/").ToList();
            only.UnionWith(desired.Files.Keys.Concat(live.Files.Keys).Where(p => prefixes.Exists(f => p.StartsWith(f, StringComparison.Ordinal))));
        }

        if (mappings.Any(m => m.TransformsContent))
        {
            only.UnionWith(desired.Files.Values.Where(f => mappings[f.Mapping].TransformsContent).Select(f => f.Path));
        }

        return only;
    }

    private static DesiredTree FromManifest(SyncManifest manifest)
    {
        var tree = new DesiredTree();
        foreach (var (path, file) in manifest.Files)
        {
            tree.Files[path] = new DesiredFile(path, file.Mapping, file.Source, file.Blob, file.Executable);
        }

        tree.Directories.UnionWith(manifest.Directories);
        foreach (var skipped in manifest.Skipped)
        {
            tree.Skip(skipped);
        }

        return tree;
    }

    /// <summary>A path cannot be both a file and a directory in the result (e.g. a file mapping onto a directory mapping's subtree).</summary>
    private static void CheckConflicts(DesiredTree desired, IReadOnlyList<PlannedMapping> mappings)
    {
        // Looked up by span: this runs over every desired file on every sync, and 20,000 files have ~100,000 ancestors.
        var files = desired.Files.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var file in desired.Files.Values)
        {
            var path = file.Path.AsSpan();
            for (var slash = path.IndexOf('/'); slash >= 0; slash = path[(slash + 1)..].IndexOf('/') is var next and >= 0 ? slash + 1 + next : -1)
            {
                if (files.TryGetValue(path[..slash], out var blocking))
                {
                    throw new SyncException(
                        $"mapping[{blocking.Mapping}] writes the file {blocking.Path}, but mapping[{file.Mapping}] needs it to be a directory for {file.Path}");
                }
            }

            if (desired.Directories.Contains(file.Path))
            {
                var owner = mappings.Last(m => !m.IsFile && m.SourceFor(file.Path) is not null || m.Destination == file.Path);
                throw new SyncException($"mapping[{file.Mapping}] writes the file {file.Path}, but mapping[{owner.Index}] makes it a directory");
            }
        }
    }

    /// <summary>Refuses to write through or over a symlink already in the data directory: it could lead anywhere.</summary>
    private static void CheckNoSymlinksInTheWay(DesiredTree desired, LiveTree live)
    {
        if (live.Symlinks.Count == 0)
        {
            return;
        }

        foreach (var path in desired.Files.Keys.Concat(desired.Directories).Order(StringComparer.Ordinal))
        {
            var isDirectory = desired.Directories.Contains(path);
            foreach (var ancestor in SyncPaths.Ancestors(path))
            {
                if (live.Symlinks.Contains(ancestor))
                {
                    throw new SyncException(
                        $"refusing to write {path}: {ancestor} in the data directory is a symlink, and symlinks in the data directory are never followed; replace it with a real directory");
                }
            }

            if (live.Symlinks.Contains(path) && isDirectory)
            {
                throw new SyncException($"refusing to write into {path}: it is a symlink in the data directory, and symlinks in the data directory are never followed; replace it with a real directory");
            }

            if (live.Symlinks.Contains(path))
            {
                throw new SyncException($"refusing to replace {path}: it is a symlink in the data directory, and symlinks in the data directory are never followed or replaced; remove it");
            }
        }
    }

    private static Comparison Compare(
        bool dryRun,
        ISourceTree tree,
        IReadOnlyList<PlannedMapping> mappings,
        DesiredTree desired,
        HashSet<string>? only,
        LiveTree live,
        SyncManifest? manifest,
        ContentRenderer renderer,
        string dataDirectory,
        CancellationToken cancellationToken)
    {
        var comparison = new Comparison();
        var files = only is null ? desired.Files.Values : only.Select(p => desired.Files.GetValueOrDefault(p)).OfType<DesiredFile>();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            comparison.Compared++;
            var mapping = mappings[file.Mapping];
            ManifestFile? previous = null;
            manifest?.Files.TryGetValue(file.Path, out previous);
            byte[]? content = null;
            string hash;
            if (!mapping.TransformsContent)
            {
                hash = file.BlobId;
            }
            else if (previous is not null && previous.SameRecipe(file.BlobId, mapping.RenderKey))
            {
                hash = previous.Hash;
            }
            else
            {
                content = renderer.Render(tree.Read(new SourceEntry(file.Source, SourceEntryKind.File, file.BlobId, file.Executable)), mapping, file);
                hash = GitBlobHash.Of(content);
                comparison.Rendered++;
            }

            var entry = new ManifestFile
            {
                Mapping = file.Mapping,
                Source = file.Source,
                Blob = file.BlobId,
                Executable = file.Executable,
                RenderKey = mapping.RenderKey,
                Hash = hash,
            };
            var exists = live.Files.TryGetValue(file.Path, out var liveFile);
            if (exists)
            {
                string liveHash;
                if (previous is not null && previous.Size == liveFile.Size && previous.ModifiedTicks == liveFile.ModifiedTicks)
                {
                    liveHash = previous.Hash;
                }
                else
                {
                    liveHash = GitBlobHash.OfFile(Path.Join(dataDirectory, file.Path));
                    comparison.Hashed++;
                }

                // A file that already holds the new content is what an interrupted sync leaves: not drift.
                if (previous is not null && liveHash != previous.Hash && liveHash != hash)
                {
                    comparison.Drift.Add(new DriftedFile(file.Path, DriftedFile.Changed));
                }

                if (liveHash == hash)
                {
                    comparison.Manifest[file.Path] = entry with { Size = liveFile.Size, ModifiedTicks = liveFile.ModifiedTicks };
                    continue;
                }
            }
            else if (previous is not null)
            {
                comparison.Drift.Add(new DriftedFile(file.Path, DriftedFile.Removed));
            }

            if (content is null && mapping.TransformsContent && !dryRun)
            {
                // The manifest knew the hash, but the live file drifted: the content is needed again.
                content = renderer.Render(tree.Read(new SourceEntry(file.Source, SourceEntryKind.File, file.BlobId, file.Executable)), mapping, file);
                comparison.Rendered++;
            }

            comparison.Writes.Add(new PendingWrite(file, content, exists || live.Directories.Contains(file.Path), entry));
        }

        return comparison;
    }

    private static int Apply(string dataDirectory, ISourceTree tree, DesiredTree desired, LiveTree live, ManagedRoots roots, List<string> orphans, Comparison comparison, CancellationToken cancellationToken)
    {
        // Every path this sync will touch is checked before the first change, so a refused path leaves the data
        // directory as it was; each operation checks its own path again right before it runs.
        var guard = new DataDirectoryGuard(dataDirectory);
        var creates = desired.Directories.Where(d => !live.Directories.Contains(d)).Order(StringComparer.Ordinal).ToList();
        foreach (var path in live.Temporary.Concat(orphans))
        {
            guard.Resolve(path, "delete", checkTarget: true);
        }

        foreach (var directory in creates)
        {
            guard.Resolve(directory, "create the folder", checkTarget: true);
        }

        foreach (var write in comparison.Writes)
        {
            guard.Resolve(write.File.Path, "write", checkTarget: true);
        }

        foreach (var temporary in live.Temporary)
        {
            TryDelete(guard.Resolve(temporary, "delete", checkTarget: true));
        }

        // The directories the result needs, which an orphan's removal must not take with it (only worked out when there are orphans).
        var needed = new HashSet<string>(StringComparer.Ordinal);
        if (orphans.Count > 0)
        {
            needed.UnionWith(desired.Directories);
            foreach (var path in desired.Files.Keys)
            {
                needed.UnionWith(SyncPaths.Ancestors(path));
            }
        }

        foreach (var orphan in orphans)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                File.Delete(guard.Resolve(orphan, "delete", checkTarget: true));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SyncException($"removing orphan {orphan}: {e.Message}", e);
            }

            RemoveEmptyParents(guard, orphan, roots, needed);
        }

        if (!Directory.Exists(dataDirectory))
        {
            Directory.CreateDirectory(dataDirectory);
        }

        foreach (var directory in creates)
        {
            CreateDirectory(guard, directory);
        }

        var written = 0;
        foreach (var write in comparison.Writes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = write.File;
            CreateDirectory(guard, SyncPaths.Parent(file.Path));
            var target = guard.Resolve(file.Path, "write", checkTarget: true);
            var content = write.Content;
            try
            {
                // Plain files go from the object database straight to the file, one inflation each (no whole-file array).
                var (size, modified) = AtomicFile.Write(
                    target,
                    s =>
                    {
                        if (content is null)
                        {
                            tree.CopyTo(new SourceEntry(file.Source, SourceEntryKind.File, file.BlobId, file.Executable), s);
                        }
                        else
                        {
                            s.Write(content);
                        }
                    },
                    file.Executable,
                    durable: false);
                comparison.Manifest[file.Path] = write.Entry with { Size = size, ModifiedTicks = modified };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SyncException($"writing {file.Path}: {e.Message}", e);
            }

            written++;
        }

        return written;
    }

    private static void CreateDirectory(DataDirectoryGuard guard, string relative)
    {
        if (relative.Length == 0)
        {
            return;
        }

        var absolute = guard.Resolve(relative, "create the folder", checkTarget: true);
        try
        {
            Directory.CreateDirectory(absolute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SyncException($"creating directory {relative}: {e.Message}", e);
        }
    }

    /// <summary>After deleting an orphan, removes parents left empty while they are still inside a managed root (docs/sync-engine.md).</summary>
    private static void RemoveEmptyParents(DataDirectoryGuard guard, string orphan, ManagedRoots roots, HashSet<string> needed)
    {
        for (var parent = SyncPaths.Parent(orphan); parent.Length > 0 && roots.Contains(parent) && !needed.Contains(parent); parent = SyncPaths.Parent(parent))
        {
            var absolute = guard.Resolve(parent, "remove the empty folder", checkTarget: true);
            try
            {
                if (Directory.EnumerateFileSystemEntries(absolute).Any())
                {
                    return;
                }

                Directory.Delete(absolute);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next sync.
        }
    }

    private static List<string>? Projects(string dataDirectory)
    {
        var projects = Path.Join(dataDirectory, "projects");
        if (!Directory.Exists(projects) || (File.GetAttributes(projects) & FileAttributes.ReparsePoint) != 0)
        {
            return null;
        }

        var names = new DirectoryInfo(projects)
            .EnumerateDirectories("*", new EnumerationOptions { AttributesToSkip = 0 })
            .Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0)
            .Select(d => d.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? null : names;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned commit {Commit}: {Mode} ({ChangedPaths} changed paths), {Files} desired files, at {Milliseconds} ms")]
    private static partial void LogPlanned(ILogger logger, string commit, string mode, int changedPaths, int files, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compared: {Files} files ({LiveTree}), {Writes} to write, {Hashed} hashed, {Rendered} rendered, at {Milliseconds} ms")]
    private static partial void LogCompared(ILogger logger, int files, string liveTree, int writes, int hashed, int rendered, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced commit {Commit}: {Added} added, {Modified} modified, {Deleted} deleted, {Written} written in {Milliseconds} ms")]
    private static partial void LogFinished(ILogger logger, string commit, int added, int modified, int deleted, int written, double milliseconds);
}
