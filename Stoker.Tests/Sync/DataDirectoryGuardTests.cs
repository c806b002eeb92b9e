using Stoker.Sync;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Sync;

/// <summary>The last check before every write or delete (defect 1 of issue 11, defence in depth), on a real folder.</summary>
public sealed class DataDirectoryGuardTests : IDisposable
{
    private readonly TempDirectory _root = new("guard");

    public DataDirectoryGuardTests()
    {
        Directory.CreateDirectory(Data);
        Directory.CreateDirectory(Outside);
        Directory.CreateDirectory(Path.Join(Data, "projects", "Alpha"));
    }

    private string Data => _root.Combine("data");

    private string Outside => _root.Combine("outside");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("projects/../../pwned.txt")]
    [InlineData("../pwned.txt")]
    [InlineData("projects/./x.txt")]
    [InlineData("projects//x.txt")]
    [InlineData("projects/x\0.txt")]
    public void Resolve_NotAPlainPath_Refused(string relative)
    {
        var error = Assert.Throws<SyncException>(() => new DataDirectoryGuard(Data).Resolve(relative, "write", checkTarget: true));

        Assert.Equal($"refusing to write {SyncPaths.Quote(relative)}: it is not a plain path inside the data directory", error.Message);
    }

    [Fact]
    public void Resolve_ThroughSymlinkedFolderPointingOutside_Refused()
    {
        Directory.CreateSymbolicLink(Path.Join(Data, "projects", "Linked"), Outside);

        var error = Assert.Throws<SyncException>(() => new DataDirectoryGuard(Data).Resolve("projects/Linked/deep/x.json", "write", checkTarget: true));

        Assert.Equal("refusing to write projects/Linked/deep/x.json: projects/Linked in the data directory is a symlink, and symlinks in the data directory are never followed", error.Message);
    }

    [Fact]
    public void Resolve_SymlinkAsTheTarget_RefusedForDelete()
    {
        File.CreateSymbolicLink(Path.Join(Data, "projects", "x.json"), Path.Join(Outside, "x.json"));

        var error = Assert.Throws<SyncException>(() => new DataDirectoryGuard(Data).Resolve("projects/x.json", "delete", checkTarget: true));

        Assert.StartsWith("refusing to delete projects/x.json: it is a symlink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PlainPath_AbsolutePathInsideTheDataDirectory()
    {
        var guard = new DataDirectoryGuard(Data);

        Assert.Equal(Path.Join(Data, "projects", "Alpha", "project.json"), guard.Resolve("projects/Alpha/project.json", "write", checkTarget: true));
        Assert.Equal(Path.Join(Data, "new", "folder", "x.json"), guard.Resolve("new/folder/x.json", "write", checkTarget: true));
    }
}
