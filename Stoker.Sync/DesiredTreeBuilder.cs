namespace Stoker.Sync;

/// <summary>
/// Computes what a commit puts in the data directory (docs/sync-engine.md): mappings in order, later ones
/// overlaying earlier ones, excluded and protected paths left out, symlinks and submodules skipped and reported.
/// <see cref="Full"/> walks every mapped tree; <see cref="Incremental"/> starts from the previous sync's result
/// and re-decides only the destinations a tree diff touched. Both give the same answer (a test holds them to it).
/// </summary>
internal sealed class DesiredTreeBuilder(ISourceTree tree, IReadOnlyList<PlannedMapping> mappings, PathFilter filter)
{
    public DesiredTree Full()
    {
        var desired = new DesiredTree();
        foreach (var mapping in mappings)
        {
            if (mapping.Skipped || filter.IsExcluded(mapping.Destination))
            {
                continue;
            }

            if (mapping.IsFile)
            {
                var entry = tree.Find(mapping.Source)!;
                desired.Files[mapping.Destination] = new DesiredFile(mapping.Destination, mapping.Index, entry.Path, entry.Id, entry.Executable);
                continue;
            }

            if (mapping.Destination.Length > 0)
            {
                desired.Directories.Add(mapping.Destination);
            }

            var sourcePrefix = mapping.Source.Length == 0 ? 0 : mapping.Source.Length + 1;
            foreach (var entry in tree.Enumerate(mapping.Source, d => !filter.MatchesItself(SyncPaths.Join(mapping.Destination, d.Path[sourcePrefix..]))))
            {
                var target = SyncPaths.Join(mapping.Destination, entry.Path[sourcePrefix..]);
                if (filter.MatchesItself(target))
                {
                    continue;
                }

                Add(desired, mapping, entry, target);
            }
        }

        return desired;
    }

    /// <summary>
    /// Updates <paramref name="previous"/> (the desired tree of the last synced commit under the same plan) with
    /// the <paramref name="changedPaths"/> between that commit and this one.
    /// </summary>
    public DesiredTree Incremental(DesiredTree previous, IReadOnlyCollection<string> changedPaths)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in changedPaths)
        {
            foreach (var mapping in mappings)
            {
                if (mapping.Skipped)
                {
                    continue;
                }

                if (mapping.IsFile)
                {
                    if (path == mapping.Source)
                    {
                        targets.Add(mapping.Destination);
                    }

                    continue;
                }

                var relative = mapping.Source.Length == 0 ? path : SyncPaths.RelativeTo(mapping.Source, path);
                if (relative is null)
                {
                    continue;
                }

                targets.Add(SyncPaths.Join(mapping.Destination, relative));
                foreach (var ancestor in SyncPaths.Ancestors(relative))
                {
                    directories.Add(SyncPaths.Join(mapping.Destination, ancestor));
                }
            }
        }

        foreach (var target in targets)
        {
            previous.Files.Remove(target);
            previous.SkippedByDestination.Remove(target);
            Resolve(previous, target);
        }

        previous.Redecided = targets;
        foreach (var directory in directories)
        {
            previous.Directories.Remove(directory);
            if (!filter.IsExcluded(directory) && mappings.Any(m => !m.IsFile && m.SourceFor(directory) is { } source && tree.Find(source) is { Kind: SourceEntryKind.Directory } e && e.Path == source))
            {
                previous.Directories.Add(directory);
            }
        }

        return previous;
    }

    /// <summary>Re-decides one destination: the last mapping holding a regular file there wins.</summary>
    private void Resolve(DesiredTree desired, string target)
    {
        if (filter.IsExcluded(target))
        {
            return;
        }

        for (var i = mappings.Count - 1; i >= 0; i--)
        {
            var mapping = mappings[i];
            if (mapping.SourceFor(target) is not { } source || filter.IsExcluded(mapping.Destination))
            {
                continue;
            }

            var entry = tree.Find(source);
            if (entry is null || entry.Path != source || entry.Kind == SourceEntryKind.Directory)
            {
                continue;
            }

            if (entry.Kind == SourceEntryKind.File && desired.Files.ContainsKey(target))
            {
                continue; // a later mapping already won; keep looking only for skipped links to report
            }

            Add(desired, mapping, entry, target);
        }
    }

    private static void Add(DesiredTree desired, PlannedMapping mapping, SourceEntry entry, string target)
    {
        switch (entry.Kind)
        {
            case SourceEntryKind.Directory:
                desired.Directories.Add(target);
                break;
            case SourceEntryKind.File:
                desired.Files[target] = new DesiredFile(target, mapping.Index, entry.Path, entry.Id, entry.Executable);
                break;
            case SourceEntryKind.Symlink:
                desired.Skip(new SkippedSource(entry.Path, target, SkippedSource.SymlinkReason));
                break;
            default:
                desired.Skip(new SkippedSource(entry.Path, target, SkippedSource.SubmoduleReason));
                break;
        }
    }
}
