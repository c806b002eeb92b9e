namespace Stoker.Tests.Infrastructure;

/// <summary>A unique folder under <c>{temp}/stoker-tests/</c>, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    private static readonly string Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stoker-tests");

    public TempDirectory(string? prefix = null)
    {
        var name = $"{prefix ?? "t"}-{Guid.NewGuid():N}";
        Path = System.IO.Path.Combine(Root, name);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => DeleteRecursively(Path);

    internal static void DeleteRecursively(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Git writes its objects read-only; some platforms refuse to delete those (and their folders)
            // until the attribute is cleared. Symlinks are not followed: their targets are not ours.
            foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                if (entry.LinkTarget is null)
                {
                    entry.Attributes = FileAttributes.Normal;
                }
            }

            Directory.Delete(path, recursive: true);
        }
    }
}
