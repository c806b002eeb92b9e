using Stoker.Sync;
using Stoker.Grains.Interfaces.Resources;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>The manifest + tree-diff path: work proportional to the change, drift detection, debris cleanup.</summary>
public sealed class IncrementalSyncTests : IDisposable
{
    private const int FileCount = 300;
    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Resync_SameCommit_WritesNothingReadsNothing()
    {
        var profile = SeedTree();
        var first = _h.Sync(profile);
        var identities = _h.FileIdentities();

        var again = _h.Sync(profile);

        Assert.Equal(FileCount + 1, first.FilesWritten);
        Assert.True(again.Incremental);
        Assert.Equal(0, again.FilesWritten);
        Assert.Equal(0, again.FilesHashed);
        Assert.Equal(0, again.FilesChanged);
        Assert.Equal(identities, _h.FileIdentities());
    }

    [Fact]
    public void NewCommitChangingThreeFiles_WritesExactlyThoseThree()
    {
        var profile = SeedTree();
        _h.Sync(profile);
        var before = _h.FileIdentities();
        _h.Repo.WriteFile("src/dir3/file0003.txt", "changed 3");
        _h.Repo.WriteFile("src/dir7/file0107.txt", "changed 107");
        _h.Repo.WriteFile("tpl/settings.json", "{\"name\":\"{{.GatewayName}}\",\"v\":2}");
        _h.Commit();

        var result = _h.Sync(profile);

        Assert.True(result.Incremental);
        Assert.Equal(3, result.FilesWritten);
        Assert.Equal(["config/settings.json", "data/dir3/file0003.txt", "data/dir7/file0107.txt"], result.Modified);
        var after = _h.FileIdentities();
        Assert.Equal(before.Keys, after.Keys);
        var rewritten = before.Keys.Where(k => before[k] != after[k]).Order(StringComparer.Ordinal);
        Assert.Equal(result.Modified, rewritten);
        Assert.Equal("{\"name\":\"gw-site1\",\"v\":2}", _h.ReadLive("config/settings.json"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // an empty change feed: only what the tree diff re-decided (and templated files) is compared
    public void Incremental_AfterManyKindsOfChange_EqualsFullSync(bool withChangeFeed)
    {
        var profile = Profile(["**/*.skip"],
            Dir("src", "data"),
            Dir("overlay", "data"),
            File("single/one.txt", "data/dir1/one.txt"),
            new Mapping { Source = "tpl", Destination = "config", Template = true });
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Repo.WriteFile("src/gone/x.txt", "x");
        _h.Repo.WriteFile("src/dir1/shadowed.txt", "base");
        _h.Repo.WriteFile("overlay/dir1/shadowed.txt", "overlay");
        _h.Repo.WriteFile("overlay/keep.txt", "keeps the overlay source present");
        _h.Repo.WriteFile("single/one.txt", "one");
        _h.Repo.WriteFile("tpl/t.txt", "{{.Commit}}");
        _h.Commit();
        var first = _h.Sync(profile);

        _h.Repo.Delete("src/gone");
        _h.Repo.Delete("overlay/dir1/shadowed.txt"); // the base file shows through again
        _h.Repo.WriteFile("src/new/deep/n.txt", "n");
        _h.Repo.WriteFile("src/new/excluded.skip", "s");
        _h.Repo.Symlink("src/link", "a.txt");
        _h.Repo.WriteFile("src/empty-but-for/.gitkeep", "");
        _h.Repo.WriteFile("single/one.txt", "one v2");
        _h.Commit();
        var incremental = _h.Sync(profile, changes: withChangeFeed ? [] : null);
        var incrementalManifest = System.IO.File.ReadAllBytes(Directory.GetFiles(_h.State).Single());

        using var fresh = new SyncHarness();
        Assert.True(incremental.Incremental, "second sync should be incremental");
        Assert.Equal(!withChangeFeed, incremental.Verified);
        Assert.False(first.Incremental);
        Assert.Equal(["data/gone/x.txt"], incremental.Deleted);
        Assert.Equal("base", _h.ReadLive("data/dir1/shadowed.txt"));
        Assert.True(Directory.Exists(_h.Live("data/empty-but-for")), "a directory holding only an excluded .gitkeep is created");
        Assert.Equal(_h.Repo.Head(), _h.ReadLive("config/t.txt"));

        // A full walk (no manifest) over the same commit must agree on every file and directory.
        Directory.Delete(_h.State, recursive: true);
        var full = _h.Sync(profile);
        Assert.False(full.Incremental);
        Assert.Equal(0, full.FilesWritten);
        Assert.Equal(incrementalManifest, System.IO.File.ReadAllBytes(Directory.GetFiles(_h.State).Single()));
        Assert.Equal(incremental.Skipped, full.Skipped);
    }

    [Fact]
    public void Drift_ChangedAndRemovedBehindOurBack_ReportedAndRepaired()
    {
        var profile = SeedTree();
        _h.Sync(profile);
        System.IO.File.WriteAllText(_h.Live("data/dir0/file0000.txt"), "edited by hand");
        System.IO.File.Delete(_h.Live("data/dir1/file0001.txt"));

        var result = _h.Sync(profile);

        Assert.Equal(
            [new DriftedFile("data/dir0/file0000.txt", DriftedFile.Changed), new DriftedFile("data/dir1/file0001.txt", DriftedFile.Removed)],
            result.Drift);
        Assert.Equal(["data/dir0/file0000.txt"], result.Modified);
        Assert.Equal(["data/dir1/file0001.txt"], result.Added);
        Assert.Equal("content 0", _h.ReadLive("data/dir0/file0000.txt"));
        Assert.Empty(_h.Sync(profile).Drift);
    }

    [Fact]
    public void TemporaryDebrisOfInterruptedSync_RemovedByNextSync()
    {
        var profile = SeedTree();
        _h.Sync(profile);
        var debris = _h.Live("data/dir2/.file0002.txt.0123456789abcdef.stoker-tmp");
        System.IO.File.WriteAllText(debris, "half written");

        var result = _h.Sync(profile);

        Assert.False(System.IO.File.Exists(debris));
        Assert.Empty(result.Deleted); // debris is not an orphan of the user's
    }

    [Fact]
    public void ProfileChange_FallsBackToFullWalk()
    {
        var profile = SeedTree();
        _h.Sync(profile);

        var result = _h.Sync(Profile(["**/file00*"], Dir("src", "data"), new Mapping { Source = "tpl", Destination = "config", Template = true }));

        Assert.False(result.Incremental);
        Assert.Equal(FileCount - 100 + 1, result.FilesDesired);
        Assert.Empty(result.Deleted); // newly excluded files are left alone, never deleted
        Assert.Equal(0, result.FilesWritten);
        Assert.Equal(0, result.FilesHashed); // the manifest still vouches for untouched files
    }

    [Fact]
    public void FailureMidway_EarlierFilesNewLaterUntouchedNoDebrisRerunConverges()
    {
        _h.Repo.WriteFile("src/a.txt", "a2");
        _h.Repo.WriteFile("src/m/blocked.txt", "m2");
        _h.Repo.WriteFile("src/z.txt", "z2");
        _h.Commit();
        _h.WriteLive("data/a.txt", "a1");
        _h.WriteLive("data/z.txt", "z1");
        Directory.CreateDirectory(_h.Live("data/m/blocked.txt/inner"));
        System.IO.File.CreateSymbolicLink(_h.Live("data/m/blocked.txt/inner/link"), "/nonexistent"); // keeps the directory non-empty

        var error = _h.SyncFails(Profile(Dir("src", "data")));

        Assert.StartsWith("writing data/m/blocked.txt: ", error.Message, StringComparison.Ordinal);
        Assert.Equal("a2", _h.ReadLive("data/a.txt"));
        Assert.Equal("z1", _h.ReadLive("data/z.txt"));
        Assert.DoesNotContain(Snapshot(_h.Data).Keys, k => k.EndsWith(".stoker-tmp", StringComparison.Ordinal));

        Directory.Delete(_h.Live("data/m/blocked.txt"), recursive: true);
        var rerun = _h.Sync(Profile(Dir("src", "data")));
        Assert.Equal(["data/m/blocked.txt", "data/z.txt"], rerun.Added.Concat(rerun.Modified).Order(StringComparer.Ordinal));
        Assert.Equal("z2", _h.ReadLive("data/z.txt"));
    }

    private Grains.Interfaces.Profiles.ResolvedProfile SeedTree()
    {
        for (var i = 0; i < FileCount; i++)
        {
            _h.Repo.WriteFile($"src/dir{i % 10}/file{Number(i)}.txt", $"content {i}");
        }

        _h.Repo.WriteFile("tpl/settings.json", "{\"name\":\"{{.GatewayName}}\",\"v\":1}");
        _h.Commit("seed");
        return Profile(Dir("src", "data"), new Mapping { Source = "tpl", Destination = "config", Template = true });
    }
}
