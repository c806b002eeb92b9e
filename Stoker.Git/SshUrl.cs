namespace Stoker.Git;

public static class SshUrl
{
    /// <summary><c>ssh://…</c>, <c>git+ssh://…</c>, <c>ssh+git://…</c>, or scp-like <c>[user@]host:path</c>.</summary>
    public static bool IsSsh(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var scheme = url[..schemeEnd];
            return scheme.Equals("ssh", StringComparison.OrdinalIgnoreCase) ||
                   scheme.Equals("git+ssh", StringComparison.OrdinalIgnoreCase) ||
                   scheme.Equals("ssh+git", StringComparison.OrdinalIgnoreCase);
        }

        // scp-like: a colon before any slash, and not a rooted local path.
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        return colon > 0 && (slash < 0 || colon < slash) && !Path.IsPathRooted(url);
    }
}
