namespace Stoker.Sync;

/// <summary>
/// The content of one commit, read without a working tree. The engine needs only these operations, so it
/// knows nothing about git beyond object ids; the LibGit2Sharp implementation lives in the Git folder.
/// </summary>
public interface ISourceTree
{
    /// <summary>The full commit id this tree belongs to.</summary>
    string Commit { get; }

    /// <summary>
    /// The entry at <paramref name="path"/>, or null when nothing is there. When an ancestor of the path is a
    /// symlink or submodule, that ancestor's entry is returned (its <see cref="SourceEntry.Path"/> then differs
    /// from <paramref name="path"/>): links are never followed.
    /// </summary>
    SourceEntry? Find(string path);

    /// <summary>
    /// Every entry below the directory <paramref name="directory"/>, depth first in path order, the directory
    /// itself excluded. A directory for which <paramref name="descend"/> returns false is listed but not entered.
    /// </summary>
    IEnumerable<SourceEntry> Enumerate(string directory, Func<SourceEntry, bool> descend);

    /// <summary>The bytes of a file entry, exactly as committed (no attribute filters).</summary>
    byte[] Read(SourceEntry file);

    /// <summary>
    /// Writes the bytes of a file entry, exactly as committed, to <paramref name="destination"/> without holding the
    /// whole file in managed memory (the initial sync writes every file of the commit this way).
    /// </summary>
    void CopyTo(SourceEntry file, Stream destination);

    /// <summary>
    /// The paths of files, symlinks and submodules that differ between <paramref name="previousCommit"/> and this
    /// commit (both sides of every change), or null when the previous commit is not available.
    /// </summary>
    IReadOnlyCollection<string>? ChangedPathsSince(string previousCommit);
}
