namespace Stoker.Sync;

/// <summary>
/// The destinations whose content Stoker owns (docs/sync-engine.md): a directory mapping owns its destination
/// subtree, a file mapping only that file. Roots are cleaned paths, so a trailing slash or a <c>./</c> prefix
/// changes nothing (the issue overrides the original, which silently disabled cleanup for them); "" is the
/// whole data directory.
/// </summary>
internal sealed class ManagedRoots(IEnumerable<string> roots)
{
    private readonly string[] _roots = [.. roots.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> All => _roots;

    public bool Contains(string path)
    {
        foreach (var root in _roots)
        {
            if (root.Length == 0 || path == root || (path.Length > root.Length && path[root.Length] == '/' && path.StartsWith(root, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="path"/> is a strict ancestor of some root, so a walk must enter it to reach that root.</summary>
    public bool IsAncestorOfRoot(string path)
    {
        if (path.Length == 0)
        {
            return _roots.Length > 0;
        }

        foreach (var root in _roots)
        {
            if (root.Length > path.Length && root[path.Length] == '/' && root.StartsWith(path, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
