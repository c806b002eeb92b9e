using System.Text;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

/// <summary>
/// Commits trees that <c>git add</c> never makes: entries named <c>..</c>, <c>.git</c>, or with a '/' in the name.
/// Trees are written byte by byte with <c>git hash-object -t tree --literally</c> (which, unlike <c>git mktree</c>,
/// takes any name), entries sorted the way git sorts them so that lookups by name still work.
/// </summary>
internal static class HostileTree
{
    private const string TreeMode = "40000";
    private const string FileMode = "100644";

    private static readonly IComparer<byte[]> ByteOrder = Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y));

    /// <summary>
    /// Commits HEAD's tree plus, inside the folder <paramref name="directory"/> (a normal path, "" for the root), a chain
    /// of entries named <paramref name="names"/>: every name but the last is a folder, the last a file holding
    /// <paramref name="content"/>. Moves the current branch to the new commit and returns its id.
    /// </summary>
    public static string Commit(GitRepository repo, string directory, IReadOnlyList<string> names, string content)
    {
        var blobFile = Path.Join(repo.Path, ".git", $"hostile-blob-{Guid.NewGuid():N}");
        File.WriteAllText(blobFile, content);
        string id;
        try
        {
            id = repo.Git("hash-object", "-w", "--", blobFile);
        }
        finally
        {
            File.Delete(blobFile);
        }

        var mode = FileMode;
        for (var i = names.Count - 1; i >= 1; i--)
        {
            id = WriteTree(repo, [(mode, names[i], id)]);
            mode = TreeMode;
        }

        var entry = (Mode: mode, Name: names[0], Id: id);
        var segments = directory.Length == 0 ? [] : directory.Split('/');
        for (var depth = segments.Length; depth >= 0; depth--)
        {
            var path = string.Join('/', segments.Take(depth));
            var entries = ReadTree(repo, path).Where(e => e.Name != entry.Name).Append(entry).ToList();
            id = WriteTree(repo, entries);
            entry = (TreeMode, depth == 0 ? "" : segments[depth - 1], id);
        }

        var commit = repo.Git("commit-tree", id, "-p", "HEAD", "-m", "hostile: " + string.Join(" / ", names));
        repo.Git("update-ref", "HEAD", commit);
        return commit;
    }

    /// <summary>The entries of HEAD's folder <paramref name="path"/>; none when the folder does not exist yet.</summary>
    private static List<(string Mode, string Name, string Id)> ReadTree(GitRepository repo, string path)
    {
        var listing = repo.Git("ls-tree", "-z", "HEAD:" + path);
        var entries = new List<(string, string, string)>();
        foreach (var line in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <type> <id>\t<name>"
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var fields = line[..tab].Split(' ');
            entries.Add((fields[0] == "040000" ? TreeMode : fields[0], line[(tab + 1)..], fields[2]));
        }

        return entries;
    }

    private static string WriteTree(GitRepository repo, IEnumerable<(string Mode, string Name, string Id)> entries)
    {
        // git orders entries by name bytes, a folder's name compared as if it ended in '/'.
        static byte[] SortKey((string Mode, string Name, string Id) e) => Encoding.UTF8.GetBytes(e.Mode == TreeMode ? e.Name + "/" : e.Name);
        using var bytes = new MemoryStream();
        foreach (var entry in entries.OrderBy(SortKey, ByteOrder))
        {
            bytes.Write(Encoding.UTF8.GetBytes($"{entry.Mode} {entry.Name}\0"));
            bytes.Write(Convert.FromHexString(entry.Id));
        }

        var file = Path.Join(repo.Path, ".git", $"hostile-tree-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, bytes.ToArray());
        try
        {
            return repo.Git("hash-object", "-t", "tree", "--literally", "-w", "--", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
