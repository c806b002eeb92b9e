namespace Stoker.Tests.Infrastructure;

public sealed class TempDirectoryTests
{
    [Fact]
    public void Dispose_FolderWithReadOnlyFilesAndSymlink_RemovesEverythingButTheLinkTarget()
    {
        using var outside = new TempDirectory("outside");
        var keep = Path.Combine(outside.Path, "keep.txt");
        File.WriteAllText(keep, "keep");

        var temp = new TempDirectory("ro");
        var file = temp.Combine("a", "b", "object");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "x");
        File.SetAttributes(file, FileAttributes.ReadOnly);
        File.CreateSymbolicLink(temp.Combine("link"), outside.Path);

        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "stoker-tests", "ro-"), temp.Path, StringComparison.Ordinal);
        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
        Assert.True(File.Exists(keep));
    }

    [Fact]
    public void Constructor_TwoInstances_AreDistinct()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();

        Assert.NotEqual(a.Path, b.Path);
        Assert.True(Directory.Exists(a.Path));
    }
}
