namespace Stoker.IgnitionSimulator;

/// <summary>The projects of a gateway data directory: the folder names under <c>projects/</c>, as Ignition finds them on a scan.</summary>
internal static class ProjectFolders
{
    public static IReadOnlyList<string> List(string? dataDir)
    {
        var root = dataDir is null ? null : Path.Combine(dataDir, "projects");
        if (root is null || !Directory.Exists(root))
        {
            return [];
        }

        var names = Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
