using Stoker.Sync.Globbing;
using Stoker.Grains.Interfaces.Profiles;

namespace Stoker.Sync;

/// <summary>
/// Exclude and protection checks (docs/sync-engine.md) on data-directory-relative paths. A path counts as
/// excluded when it or any of its ancestors matches, so a file is treated alike whether it is reached by a
/// tree walk (which prunes excluded directories) or looked up directly (the incremental path).
/// </summary>
internal sealed class PathFilter
{
    /// <summary>Never staged, overwritten or deleted, whatever the excludes say (docs/sync-engine.md).</summary>
    private static readonly string[] ProtectedPatterns = ["**/.resources/**", "**/.resources"];

    private readonly List<DoublestarGlob> _globs = [];
    private readonly Dictionary<string, bool> _directoryCache = new(StringComparer.Ordinal);

    public PathFilter(IEnumerable<string> excludePatterns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in excludePatterns.Concat(ProfileResolver.AlwaysExcluded).Concat(ProtectedPatterns))
        {
            var pattern = raw.Trim();
            // A malformed pattern never matches (docs/sync-engine.md); the resource validator reports it.
            if (pattern.Length > 0 && seen.Add(pattern) && DoublestarGlob.TryCreate(pattern, out var glob) && glob is not null)
            {
                _globs.Add(glob);
            }
        }

        Patterns = [.. seen];
    }

    public IReadOnlyList<string> Patterns { get; }

    /// <summary>True when the path itself matches a pattern.</summary>
    public bool MatchesItself(string path) => path.Length > 0 && _globs.Exists(g => g.IsMatch(path));

    /// <summary>True when the path or one of its ancestors matches a pattern.</summary>
    public bool IsExcluded(string path) => MatchesItself(path) || IsDirectoryExcluded(SyncPaths.Parent(path));

    private bool IsDirectoryExcluded(string directory)
    {
        if (directory.Length == 0)
        {
            return false;
        }

        if (!_directoryCache.TryGetValue(directory, out var excluded))
        {
            excluded = MatchesItself(directory) || IsDirectoryExcluded(SyncPaths.Parent(directory));
            _directoryCache[directory] = excluded;
        }

        return excluded;
    }
}
