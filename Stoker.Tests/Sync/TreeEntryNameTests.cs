using Stoker.Sync;
using Stoker.Tests.Git;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>
/// Defect 1 of issue 11: tree entries whose name is not one plain path segment. Each is refused with an error naming
/// the entry and the commit, before anything is written: the data directory and the folder around it are unchanged.
/// </summary>
public sealed class TreeEntryNameTests : IDisposable
{
    private readonly SyncHarness _h = new();

    public TreeEntryNameTests()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Repo.WriteFile("src/sub/b.txt", "b");
    }

    public void Dispose() => _h.Dispose();

    public static TheoryData<string, string[]> HostileNames => new()
    {
        // the entry refused, the chain of names committed under src/ (the last one a file)
        { "..", ["..", "..", "pwned.txt"] },
        { "..", ["..", "pwned.txt"] },
        { ".", [".", "x.txt"] },
        { ".git", [".git", "hooks", "post-checkout"] },
        { ".GIT", [".GIT", "config"] },
        { ".Git", [".Git"] },
        { "../../pwned.txt", ["../../pwned.txt"] },
        { "x/y.txt", ["x/y.txt"] },
        { "..\\..\\pwned.txt", ["..\\..\\pwned.txt"] },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Sync_HostileEntryName_RefusedNamingEntryAndCommitNothingWritten(string refused, string[] names)
    {
        _h.Commit();
        var commit = HostileTree.Commit(_h.Repo, "src", names, "pwned");
        var before = Snapshot(_h.Parent);

        var error = _h.SyncFails(Profile(Dir("src", "data")));

        Assert.Contains($"tree entry {SyncPaths.Quote(refused)}", error.Message, StringComparison.Ordinal);
        Assert.Contains(commit, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_h.Parent));
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Sync_HostileEntryNameInNextCommit_IncrementalSyncRefusesToo(string refused, string[] names)
    {
        _h.Commit();
        var profile = Profile(Dir("src", "data"));
        _h.Sync(profile);
        var commit = HostileTree.Commit(_h.Repo, "src", names, "pwned");
        var before = Snapshot(_h.Parent);

        var error = _h.SyncFails(profile);

        Assert.Contains($"tree entry {SyncPaths.Quote(refused)}", error.Message, StringComparison.Ordinal);
        Assert.Contains(commit, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_h.Parent));
    }

    [Fact]
    public void Sync_DotDotEntryDeepInTheMappedFolder_RefusedNamingItsFolder()
    {
        _h.Commit();
        var commit = HostileTree.Commit(_h.Repo, "src/sub", ["..", "..", "..", "pwned.txt"], "pwned");
        var before = Snapshot(_h.Parent);

        var error = _h.SyncFails(Profile(Dir("src", "data")));

        Assert.Contains(commit, error.Message, StringComparison.Ordinal);
        Assert.Contains("tree entry \"..\" in tree \"src/sub\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_h.Parent));
    }
}
