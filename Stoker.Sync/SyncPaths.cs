namespace Stoker.Sync;

/// <summary>'/'-separated relative paths: cleaning, validation of rendered mapping paths, and joining.</summary>
internal static class SyncPaths
{
    /// <summary>
    /// Lexically cleans a relative path the way Go's <c>path.Clean</c> does, except that the root is "" rather
    /// than "." and a trailing '/' is dropped (so <c>projects/</c>, <c>./projects</c> and <c>projects</c> are one
    /// path: the issue overrides the original's trailing-slash quirk). Leading <c>..</c> segments are kept.
    /// </summary>
    public static string Clean(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[^1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    /// <summary>
    /// Validates a rendered mapping path (docs/sync-engine.md) and returns it cleaned. <paramref name="field"/>
    /// names it in errors (<c>mapping[1].destination</c>).
    /// </summary>
    public static string ValidateRendered(string field, string rendered)
    {
        if (rendered.Length == 0)
        {
            throw new SyncException($"{field}: rendered to an empty path; use \".\" for the whole tree");
        }

        if (rendered.Contains('\0', StringComparison.Ordinal))
        {
            throw new SyncException($"{field}: path contains a NUL character: {Quote(rendered)}");
        }

        if (rendered.StartsWith('/') || Path.IsPathRooted(rendered))
        {
            throw new SyncException($"{field}: absolute path not allowed: {rendered}");
        }

        var cleaned = Clean(rendered);
        if (cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal))
        {
            throw new SyncException($"{field}: path traversal not allowed: {rendered}");
        }

        return cleaned;
    }

    /// <summary>
    /// The absolute path of a cleaned relative path inside <paramref name="root"/>, verified to stay inside it after
    /// the operating system's own normalisation (defence in depth behind <see cref="ValidateRendered"/>).
    /// </summary>
    public static string Contained(string root, string relative, string field)
    {
        var full = Path.GetFullPath(relative.Length == 0 ? root : Path.Join(root, relative));
        if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new SyncException($"{field}: {Quote(relative)} resolves outside the data directory ({full})");
        }

        return full;
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot be the name of a file or folder taken from a repository, or null when it can.
    /// A git tree entry is one path segment: <c>git mktree</c> accepts <c>..</c> and <c>git hash-object --literally</c>
    /// anything, and joined to a destination such a name walks out of the data directory (docs/sync-engine.md, safety guarantees).
    /// </summary>
    public static string? UnsafeEntryName(string name)
    {
        if (name.Length == 0)
        {
            return "an empty name";
        }

        if (name is "." or "..")
        {
            return "a relative path segment";
        }

        if (name.Equals(".git", StringComparison.OrdinalIgnoreCase))
        {
            return "a git directory name";
        }

        if (name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
        {
            return "a name containing '/', '\\' or NUL";
        }

        return null;
    }

    public static string Join(string left, string right) =>
        left.Length == 0 ? right : right.Length == 0 ? left : left + "/" + right;

    /// <summary>The path of <paramref name="path"/> below <paramref name="root"/>, or null when it is not strictly below it.</summary>
    public static string? RelativeTo(string root, string path)
    {
        if (root.Length == 0)
        {
            return path.Length == 0 ? null : path;
        }

        return path.Length > root.Length + 1 && path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] == '/'
            ? path[(root.Length + 1)..]
            : null;
    }

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>The strict ancestors of a path, nearest the root first ("a", "a/b" for "a/b/c").</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var i = path.IndexOf('/'); i >= 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }

    public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
