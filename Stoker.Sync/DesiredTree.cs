namespace Stoker.Sync;

/// <summary>Everything a commit puts in the data directory under a plan: files, directories, and what was skipped.</summary>
internal sealed class DesiredTree
{
    public Dictionary<string, DesiredFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Directories the mappings create even when empty (e.g. one holding only an excluded <c>.gitkeep</c>).</summary>
    public HashSet<string> Directories { get; } = new(StringComparer.Ordinal);

    /// <summary>Symlinks and submodules met in mapped trees, keyed by the destination they would have had.</summary>
    public Dictionary<string, List<SkippedSource>> SkippedByDestination { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When this tree is the last sync's updated by a tree diff: the destinations that were re-decided (added, removed
    /// or possibly changed). Every other file is the one the manifest recorded. Null after a full walk.
    /// </summary>
    public HashSet<string>? Redecided { get; set; }

    public void Skip(SkippedSource skipped)
    {
        if (!SkippedByDestination.TryGetValue(skipped.Destination, out var list))
        {
            list = [];
            SkippedByDestination[skipped.Destination] = list;
        }

        if (!list.Contains(skipped))
        {
            list.Add(skipped);
        }
    }
}
