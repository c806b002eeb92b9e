using Microsoft.Extensions.Time.Testing;
using Stoker.Sync;
using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>
/// Syncs that trust the manifest plus the data directory's change feed (a real <see cref="DataDirectoryWatcher"/> on a
/// real folder, the real engine and git repository) still find every change made by hand, as the full scan does.
/// </summary>
public sealed class ChangeFeedSyncTests : IDisposable
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(20);
    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task FilesEditedDeletedAndAddedByHand_BetweenSyncsOfTheSameCommit_AreFoundThroughTheFeedAndRepaired()
    {
        var profile = SeedTree();
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.FromHours(1));
        var first = _h.Sync(profile, changes: watcher.Take());
        var expected = Snapshot(_h.Data);
        await SettledAsync(watcher, first);
        var settled = _h.Sync(profile, changes: watcher.Take());

        _h.WriteLive("site/dir1/file0011.txt", "edited by hand");
        System.IO.File.Delete(_h.Live("site/dir2/file0022.txt"));
        _h.WriteLive("site/dir3/stray.txt", "created by hand");
        await Eventually.Until(
            () => Task.FromResult(watcher.Recorded()),
            r => r.Contains("site/dir1/file0011.txt") && r.Contains("site/dir2/file0022.txt") && r.Contains("site/dir3/stray.txt"),
            EventDeadline,
            "the hand edits in the change feed");
        var repaired = _h.Sync(profile, changes: watcher.Take());

        Assert.True(first.Verified);
        Assert.False(settled.Verified);
        Assert.Equal(0, settled.FilesChanged);
        Assert.False(repaired.Verified);
        Assert.Equal(
            [new DriftedFile("site/dir1/file0011.txt", DriftedFile.Changed), new DriftedFile("site/dir2/file0022.txt", DriftedFile.Removed)],
            repaired.Drift.OrderBy(d => d.Path, StringComparer.Ordinal));
        Assert.Equal(["site/dir1/file0011.txt"], repaired.Modified);
        Assert.Equal(["site/dir2/file0022.txt"], repaired.Added);
        Assert.Equal(["site/dir3/stray.txt"], repaired.Deleted);
        Assert.Equal(1, repaired.FilesHashed); // only the edited file was read: the feed named it, the manifest vouched for the rest
        Assert.Equal(expected, Snapshot(_h.Data));
    }

    [Fact]
    public async Task TheAgentsOwnWrites_ComeBackThroughTheFeed_ButAreNotDrift()
    {
        var profile = SeedTree();
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.FromHours(1));
        _h.Sync(profile, changes: watcher.Take());
        _h.Repo.WriteFile("src/dir4/file0004.txt", "new content");
        _h.Repo.Delete("src/dir5/file0005.txt");
        _h.Commit();
        var change = _h.Sync(profile, changes: watcher.Take());
        await Eventually.Until(
            () => Task.FromResult(watcher.Recorded()),
            r => r.Contains("site/dir4/file0004.txt") && r.Contains("site/dir5/file0005.txt"),
            EventDeadline,
            "the sync's own writes in the change feed");

        var next = _h.Sync(profile, changes: watcher.Take());

        Assert.False(change.Verified);
        Assert.Equal(["site/dir4/file0004.txt"], change.Modified);
        Assert.Equal(["site/dir5/file0005.txt"], change.Deleted);
        Assert.False(next.Verified);
        Assert.Empty(next.Drift);
        Assert.Equal(0, next.FilesChanged);
        Assert.Equal(0, next.FilesHashed);
    }

    [Fact]
    public async Task ACommitSyncedWithTheFeed_ComparesOnlyTheChangedAndReportedFiles_AndStillRestoresAFileDeletedByHand()
    {
        var profile = SeedTree();
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.FromHours(1));
        await SettledAsync(watcher, _h.Sync(profile, changes: watcher.Take()));
        _h.Repo.WriteFile("src/dir4/file0004.txt", "changed in the commit");
        _h.Repo.WriteFile("src/dir4/new.txt", "added in the commit");
        _h.Commit();
        System.IO.File.Delete(_h.Live("site/dir2/file0022.txt"));
        await Eventually.Until(() => Task.FromResult(watcher.Recorded()), r => r.Contains("site/dir2/file0022.txt"), EventDeadline, "the deletion in the feed");

        var change = _h.Sync(profile, changes: watcher.Take());
        var fullScan = _h.Sync(profile);

        Assert.False(change.Verified);
        Assert.True(change.Incremental);
        Assert.Equal(3, change.FilesCompared); // of 101 desired files: the two the commit touched, the one the feed reported
        Assert.Equal([new DriftedFile("site/dir2/file0022.txt", DriftedFile.Removed)], change.Drift);
        Assert.Equal(["site/dir2/file0022.txt", "site/dir4/new.txt"], change.Added.Order(StringComparer.Ordinal));
        Assert.Equal(["site/dir4/file0004.txt"], change.Modified);
        Assert.Equal("content 22", _h.ReadLive("site/dir2/file0022.txt"));

        // The manifest the partial comparison saved is the one a full scan agrees with, file by file.
        Assert.True(fullScan.Verified);
        Assert.Equal(101, fullScan.FilesCompared);
        Assert.Equal(0, fullScan.FilesChanged);
        Assert.Empty(fullScan.Drift);
        Assert.Equal(0, fullScan.FilesHashed);
    }

    [Fact]
    public async Task AFolderDeletedByHand_IsRestoredWhole_ThroughTheFeed()
    {
        var profile = SeedTree();
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.FromHours(1));
        await SettledAsync(watcher, _h.Sync(profile, changes: watcher.Take()));
        var expected = Snapshot(_h.Data);
        Directory.Delete(_h.Live("site/dir3"), recursive: true);
        await Eventually.Until(() => Task.FromResult(watcher.Recorded()), r => r.Contains("site/dir3"), EventDeadline, "the folder's deletion in the feed");

        var repaired = _h.Sync(profile, changes: watcher.Take());

        Assert.False(repaired.Verified);
        Assert.Equal(10, repaired.Added.Count);
        Assert.All(repaired.Added, p => Assert.StartsWith("site/dir3/", p, StringComparison.Ordinal));
        Assert.Equal(10, repaired.Drift.Count(d => d.Change == DriftedFile.Removed));
        Assert.True(repaired.FilesCompared < 101, $"compared {repaired.FilesCompared} files");
        Assert.Equal(expected, Snapshot(_h.Data));
    }

    [Fact]
    public async Task AnEditArrivingAfterTheSyncTookTheFeed_IsKeptForTheNextSync()
    {
        var profile = SeedTree();
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.FromHours(1));
        await SettledAsync(watcher, _h.Sync(profile, changes: watcher.Take()));
        var taken = watcher.Take();

        // The sync has its set; this edit lands while it runs.
        _h.WriteLive("site/dir6/file0006.txt", "edited during the sync");
        await Eventually.Until(() => Task.FromResult(watcher.Recorded()), r => r.Contains("site/dir6/file0006.txt"), EventDeadline, "the edit in the next set");
        var during = _h.Sync(profile, changes: taken);
        var after = _h.Sync(profile, changes: watcher.Take());

        Assert.DoesNotContain("site/dir6/file0006.txt", taken!);
        Assert.Empty(during.Drift);
        Assert.Equal([new DriftedFile("site/dir6/file0006.txt", DriftedFile.Changed)], after.Drift);
        Assert.Equal(["site/dir6/file0006.txt"], after.Modified);
        Assert.Equal("content 6", _h.ReadLive("site/dir6/file0006.txt"));
    }

    [Fact]
    public async Task ASyncThatFailed_GivesItsPathsBack()
    {
        var profile = SeedTree();
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.FromHours(1));
        await SettledAsync(watcher, _h.Sync(profile, changes: watcher.Take()));
        System.IO.File.Delete(_h.Live("site/dir7/file0007.txt"));
        await Eventually.Until(() => Task.FromResult(watcher.Recorded()), r => r.Contains("site/dir7/file0007.txt"), EventDeadline, "the deletion in the feed");

        var taken = watcher.Take();
        watcher.Restore(taken);
        var next = _h.Sync(profile, changes: watcher.Take());

        Assert.Equal([new DriftedFile("site/dir7/file0007.txt", DriftedFile.Removed)], next.Drift);
        Assert.True(_h.LiveExists("site/dir7/file0007.txt"));
    }

    [Fact]
    public void TheFeed_AsksForAFullScan_FirstThenOnItsSchedule_AndAfterAFailedFullScan()
    {
        var clock = new FakeTimeProvider();
        using var watcher = new DataDirectoryWatcher(_h.Data, clock, TimeSpan.FromMinutes(10));

        var first = watcher.Take();
        var second = watcher.Take();
        clock.Advance(TimeSpan.FromMinutes(9));
        var beforeTheSchedule = watcher.Take();
        clock.Advance(TimeSpan.FromMinutes(1));
        var onTheSchedule = watcher.Take();
        watcher.Restore(onTheSchedule);
        var afterAFailedScan = watcher.Take();

        Assert.True(watcher.Watching);
        Assert.Null(first);
        Assert.NotNull(second);
        Assert.NotNull(beforeTheSchedule);
        Assert.Null(onTheSchedule);
        Assert.Null(afterAFailedScan);
        Assert.NotNull(watcher.Take());
    }

    [Fact]
    public void AZeroInterval_ScansOnEverySync()
    {
        using var watcher = new DataDirectoryWatcher(_h.Data, TimeProvider.System, TimeSpan.Zero);

        Assert.Null(watcher.Take());
        Assert.Null(watcher.Take());
    }

    [Fact]
    public void UnderAnotherPlan_TheFeedIsNotTrusted()
    {
        var profile = SeedTree();
        _h.Sync(profile);
        _h.WriteLive("other/unmanaged.txt", "was here before the new mapping");

        var widened = _h.Sync(Profile(Dir("src", "site"), Dir("src/dir1", "other")), changes: []);

        Assert.True(widened.Verified);
        Assert.Contains("other/unmanaged.txt", widened.Deleted);
    }

    /// <summary>Waits until the sync's own write events have come in and lets one feed-based sync absorb them.</summary>
    private async Task SettledAsync(DataDirectoryWatcher watcher, SyncResult result)
    {
        // Each written file is seen by the feed (or, if the events overflowed, the next Take asks for a full scan).
        var last = result.Added.Concat(result.Modified).Order(StringComparer.Ordinal).LastOrDefault();
        if (last is not null)
        {
            await Eventually.Until(() => Task.FromResult(watcher.Recorded()), r => r.Contains(last), EventDeadline, "the sync's writes in the feed");
        }

        _h.Sync(_profile!, changes: watcher.Take());
    }

    private Stoker.Grains.Interfaces.Profiles.ResolvedProfile? _profile;

    private Stoker.Grains.Interfaces.Profiles.ResolvedProfile SeedTree()
    {
        for (var i = 0; i < 100; i++)
        {
            _h.Repo.WriteFile($"src/dir{i % 10}/file{Number(i)}.txt", $"content {i}");
        }

        _h.Commit("seed");
        _profile = Profile(Dir("src", "site"));
        return _profile;
    }
}
