using System.Collections.Concurrent;
using Stoker.Sync.Globbing;

namespace Stoker.Sync.Patching;

// Which staged files a patch applies to (docs/resource-reference.md, patches[].file). The pattern is the patch's `file`, or the base
// name of the mapping's destination when `file` is empty; it is doublestar-matched against the file's
// `/`-separated path relative to the mapping root. The mapping root is the destination directory for a
// dir mapping and the destination's parent for a file mapping, so for a file mapping only the base name
// takes part and only base-name patterns can match.
public static class PatchTargets
{
    // Patterns come from a handful of resources; compiled globs are reused across files and syncs.
    private const int MaxCachedPatterns = 512;

    private static readonly ConcurrentDictionary<string, DoublestarGlob> Cache = new(StringComparer.Ordinal);

    // `relativePath`: the staged file's path relative to the mapping root (for a file mapping, its base
    // name; a longer path is reduced to the base name). `mappedFileName`: the mapping's rendered
    // destination (or just its base name). A malformed pattern throws JsonPatchException
    // `invalid patch file pattern "<p>": <why>`, as the Go agent failed the sync.
    public static bool Matches(string? fileGlob, string relativePath, bool isFileMapping, string mappedFileName)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        ArgumentNullException.ThrowIfNull(mappedFileName);

        var pattern = string.IsNullOrEmpty(fileGlob) ? BaseName(mappedFileName) : fileGlob;
        var path = isFileMapping ? BaseName(relativePath) : relativePath;
        return Compile(pattern, path).IsMatch(path);
    }

    private static DoublestarGlob Compile(string pattern, string path)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        if (!DoublestarGlob.TryCreate(pattern, out var glob, out var error))
        {
            throw new JsonPatchException($"invalid patch file pattern \"{pattern}\": {error}", path, null);
        }

        if (Cache.Count >= MaxCachedPatterns)
        {
            Cache.Clear();
        }

        Cache[pattern] = glob!;
        return glob!;
    }

    // Go's path.Base: the last element after dropping trailing slashes; "." for an empty path.
    private static string BaseName(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? "." : "/";
        }

        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }
}
