using LibGit2Sharp;
using Stoker.Sync;

namespace Stoker.Sync.Git;

/// <summary>
/// A commit read straight from the object database, with no working tree. Reasons: a checkout would write
/// every file once more only for the engine to read it back; tree entries carry the mode, so symlinks and
/// submodules are recognised without touching the file system (and can never be followed by accident); blob
/// ids are content hashes, so unchanged files are known without reading them; and the diff between two
/// commits comes from comparing trees, skipping identical subtrees by id.
/// </summary>
public sealed class GitCommitTree : ISourceTree, IDisposable
{
    private readonly Repository _repository;
    private readonly Commit _commit;
    private readonly bool _ownsRepository;

    // Blobs are read through libgit2 directly, one inflation each (LibGit2Sharp's Blob inflates the object once for
    // its size and again for its content); opened on the first read, so a sync that writes nothing never opens it.
    private NativeBlobReader? _blobs;
    private bool _blobsOpened;

    /// <summary>Opens <paramref name="repositoryPath"/> (bare or not) at <paramref name="commit"/> (a full or abbreviated id, or any revision).</summary>
    public GitCommitTree(string repositoryPath, string commit)
        : this(new Repository(repositoryPath), commit, ownsRepository: true)
    {
    }

    internal GitCommitTree(Repository repository, string commit, bool ownsRepository)
    {
        _repository = repository;
        _ownsRepository = ownsRepository;
        try
        {
            _commit = repository.Lookup(commit)?.Peel<Commit>()
                ?? throw new GitCheckoutException($"commit {commit} not found in {repository.Info.Path}");
        }
        catch
        {
            if (ownsRepository)
            {
                repository.Dispose();
            }

            throw;
        }
    }

    public string Commit => _commit.Sha;

    public SourceEntry? Find(string path)
    {
        if (path.Length == 0)
        {
            return new SourceEntry("", SourceEntryKind.Directory, _commit.Tree.Sha, false);
        }

        var tree = _commit.Tree;
        var segments = path.Split('/');
        var current = "";
        for (var i = 0; i < segments.Length; i++)
        {
            var entry = tree[segments[i]];
            if (entry is null)
            {
                return null;
            }

            Check(entry, current);
            current = SyncPaths.Join(current, segments[i]);

            var kind = KindOf(entry.Mode);
            if (i == segments.Length - 1)
            {
                return ToEntry(current, entry, kind);
            }

            switch (kind)
            {
                case SourceEntryKind.Directory:
                    tree = (Tree)entry.Target;
                    break;
                case SourceEntryKind.File:
                    return null; // a file cannot have children: the path does not exist
                default:
                    return ToEntry(current, entry, kind); // never look through a link
            }
        }

        return null;
    }

    public IEnumerable<SourceEntry> Enumerate(string directory, Func<SourceEntry, bool> descend)
    {
        var start = Find(directory);
        if (start is not { Kind: SourceEntryKind.Directory } || start.Path != directory)
        {
            yield break;
        }

        var stack = new Stack<(string Path, Tree Tree)>();
        stack.Push((directory, directory.Length == 0 ? _commit.Tree : (Tree)_commit.Tree[directory].Target));
        while (stack.Count > 0)
        {
            var (path, tree) = stack.Pop();
            var directories = new List<(string, Tree)>();
            foreach (var child in tree)
            {
                Check(child, path);
                var childPath = SyncPaths.Join(path, child.Name);
                var kind = KindOf(child.Mode);
                var entry = ToEntry(childPath, child, kind);
                yield return entry;
                if (kind == SourceEntryKind.Directory && descend(entry))
                {
                    directories.Add((childPath, (Tree)child.Target));
                }
            }

            for (var i = directories.Count - 1; i >= 0; i--)
            {
                stack.Push(directories[i]);
            }
        }
    }

    public byte[] Read(SourceEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Blobs() is { } reader)
        {
            return reader.Read(file.Id, file.Path);
        }

        var blob = LookupBlob(file);
        using var stream = blob.GetContentStream();
        var content = new byte[blob.Size];
        stream.ReadExactly(content);
        return content;
    }

    public void CopyTo(SourceEntry file, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(destination);
        if (Blobs() is { } reader)
        {
            reader.CopyTo(file.Id, file.Path, destination);
            return;
        }

        using var stream = LookupBlob(file).GetContentStream();
        stream.CopyTo(destination);
    }

    /// <summary>Whether blobs are read with one inflation each (libgit2 called directly); false only when it cannot be loaded.</summary>
    internal bool ReadsBlobsDirectly => Blobs() is not null;

    private NativeBlobReader? Blobs()
    {
        if (!_blobsOpened)
        {
            _blobs = NativeBlobReader.Open(_repository.Info.Path);
            _blobsOpened = true;
        }

        return _blobs;
    }

    private Blob LookupBlob(SourceEntry file) =>
        _repository.Lookup<Blob>(new ObjectId(file.Id)) ?? throw new GitCheckoutException($"blob {file.Id} ({file.Path}) not found");

    public IReadOnlyCollection<string>? ChangedPathsSince(string previousCommit)
    {
        if (!ObjectId.TryParse(previousCommit, out var id) || _repository.Lookup<Commit>(id) is not { } previous)
        {
            return null;
        }

        var changes = _repository.Diff.Compare<TreeChanges>(previous.Tree, _commit.Tree, new CompareOptions { Similarity = SimilarityOptions.None });
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var checkedTrees = new HashSet<ObjectId>();
        foreach (var change in changes)
        {
            if (change.Status != ChangeKind.Deleted)
            {
                CheckTreesAlong(change.Path, checkedTrees);
            }

            paths.Add(change.Path);
            paths.Add(change.OldPath);
        }

        return paths;
    }

    public void Dispose()
    {
        _blobs?.Dispose();
        if (_ownsRepository)
        {
            _repository.Dispose();
        }
    }

    /// <summary>
    /// Checks every entry of every tree on the way to a changed path of this commit. The diff joins entry names with
    /// '/', so a name like <c>../x</c> or <c>a/b</c> cannot be told apart from a path there: the incremental sync would
    /// look it up, find nothing and silently skip it, where a full walk refuses it. Checking the trees themselves
    /// gives both the same answer; each tree is checked once per diff.
    /// </summary>
    private void CheckTreesAlong(string path, HashSet<ObjectId> checkedTrees)
    {
        var tree = _commit.Tree;
        var parent = "";
        foreach (var segment in path.Split('/'))
        {
            if (checkedTrees.Add(tree.Id))
            {
                foreach (var entry in tree)
                {
                    Check(entry, parent);
                }
            }

            if (tree[segment] is not { Mode: Mode.Directory } next)
            {
                return;
            }

            tree = (Tree)next.Target;
            parent = SyncPaths.Join(parent, segment);
        }
    }

    /// <summary>
    /// Refuses an entry whose name is not a single, ordinary path segment (see <see cref="SyncPaths.UnsafeEntryName"/>).
    /// Every entry the engine sees comes through <see cref="Find"/> or <see cref="Enumerate"/>, so the desired tree
    /// never holds such a name and the sync fails before its first write.
    /// </summary>
    private void Check(TreeEntry entry, string parent)
    {
        if (SyncPaths.UnsafeEntryName(entry.Name) is { } reason)
        {
            var where = parent.Length == 0 ? "the root tree" : "tree " + SyncPaths.Quote(parent);
            throw new SyncException(
                $"commit {_commit.Sha}: refusing tree entry {SyncPaths.Quote(entry.Name)} in {where} ({reason}): "
                + "entries named \".\", \"..\" or \".git\" (any case), empty, or containing '/', '\\' or NUL are never written");
        }
    }

    private static SourceEntryKind KindOf(Mode mode) => mode switch
    {
        Mode.Directory => SourceEntryKind.Directory,
        Mode.SymbolicLink => SourceEntryKind.Symlink,
        Mode.GitLink => SourceEntryKind.Submodule,
        _ => SourceEntryKind.File,
    };

    private SourceEntry ToEntry(string path, TreeEntry entry, SourceEntryKind kind)
    {
        return new(path, kind, entry.Target.Sha, entry.Mode == Mode.ExecutableFile);
    }
}
