using Stoker.Sync;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>The sync engine's file behaviour (docs/sync-engine.md), against real repositories and a real data directory.</summary>
public sealed class SyncEngineFileBehaviourTests : IDisposable
{
    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void TwoDirMappingsToSameDestination_LaterOverlaysEarlier()
    {
        _h.Repo.WriteFile("base/config.json", "base-content");
        _h.Repo.WriteFile("base/shared.txt", "shared");
        _h.Repo.WriteFile("overlay/config.json", "overlay-content");
        _h.Commit();

        var result = _h.Sync(Profile(Dir("base", "config"), Dir("overlay", "config")));

        Assert.Equal("overlay-content", _h.ReadLive("config/config.json"));
        Assert.True(_h.LiveExists("config/shared.txt"));
        Assert.Equal(["config/config.json", "config/shared.txt"], result.Added);
    }

    [Fact]
    public void FileMapping_WrittenWithParents()
    {
        _h.Repo.WriteFile("src/special.yaml", "a: 1");
        _h.Commit();

        var result = _h.Sync(Profile(File("src/special.yaml", "deep/nested/special.yaml")));

        Assert.Equal("a: 1", _h.ReadLive("deep/nested/special.yaml"));
        Assert.Equal(["deep/nested/special.yaml"], result.Added);
    }

    [Fact]
    public void DirMapping_DeletesOrphanKeepsUnmanaged()
    {
        _h.Repo.WriteFile("src/app.json", "{}");
        _h.Commit();
        _h.WriteLive("config/orphan.txt", "orphan");
        _h.WriteLive("unmanaged/safe.txt", "safe");

        var result = _h.Sync(Profile(Dir("src", "config")));

        Assert.False(_h.LiveExists("config/orphan.txt"));
        Assert.Equal("safe", _h.ReadLive("unmanaged/safe.txt"));
        Assert.Equal(["config/orphan.txt"], result.Deleted);
    }

    [Fact]
    public void DryRun_ReportsAddedModifiedDeletedAndLeavesLiveUnchanged()
    {
        _h.Repo.WriteFile("src/new.txt", "new");
        _h.Repo.WriteFile("src/changed.txt", "updated");
        _h.Commit();
        _h.WriteLive("config/changed.txt", "original");
        _h.WriteLive("config/orphan.txt", "orphan");
        var before = Snapshot(_h.Data);

        var result = _h.Sync(Profile(Dir("src", "config")), dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(["config/new.txt"], result.Added);
        Assert.Equal(["config/changed.txt"], result.Modified);
        Assert.Equal(["config/orphan.txt"], result.Deleted);
        Assert.Equal(0, result.FilesWritten);
        Assert.Equal(before, Snapshot(_h.Data));
    }

    [Fact]
    public void ExcludePattern_MatchingFilesNotWritten()
    {
        _h.Repo.WriteFile("src/skip.log", "log");
        _h.Repo.WriteFile("src/keep.txt", "keep");
        _h.Commit();

        var result = _h.Sync(Profile(["**/*.log"], Dir("src", "data")));

        Assert.False(_h.LiveExists("data/skip.log"));
        Assert.True(_h.LiveExists("data/keep.txt"));
        Assert.Equal(["data/keep.txt"], result.Added);
    }

    [Fact]
    public void ResourcesDirectory_NeverStagedNeverTouched()
    {
        _h.Repo.WriteFile("src/.resources/internal.bin", "from-git");
        _h.Repo.WriteFile("src/file.txt", "x");
        _h.Commit();
        _h.WriteLive("data/.resources/existing.bin", "live-resource");

        var result = _h.Sync(Profile(Dir("src", "data")));

        Assert.Equal("live-resource", _h.ReadLive("data/.resources/existing.bin"));
        Assert.False(_h.LiveExists("data/.resources/internal.bin"));
        Assert.Equal(["data/file.txt"], result.Added);
        Assert.Empty(result.Deleted);
    }

    [Fact]
    public void ExistingFileWithOtherContent_CountsAsModified()
    {
        _h.Repo.WriteFile("src/existing.txt", "new-version");
        _h.Commit();
        _h.WriteLive("data/existing.txt", "old-version");

        var result = _h.Sync(Profile(Dir("src", "data")));

        Assert.Empty(result.Added);
        Assert.Equal(["data/existing.txt"], result.Modified);
        Assert.Equal("new-version", _h.ReadLive("data/existing.txt"));
    }

    [Fact]
    public void SourceSymlink_NotCopiedNotCountedButReported()
    {
        _h.Repo.WriteFile("src/real.txt", "real");
        _h.Repo.Symlink("src/link.txt", "real.txt");
        _h.Commit();

        var dry = _h.Sync(Profile(Dir("src", "data")), dryRun: true);
        var result = _h.Sync(Profile(Dir("src", "data")));

        Assert.Equal(["data/real.txt"], dry.Added);
        Assert.Equal(["data/real.txt"], result.Added);
        Assert.False(_h.LiveExists("data/link.txt"));
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(("src/link.txt", "data/link.txt", SkippedSource.SymlinkReason), (skipped.Source, skipped.Destination, skipped.Reason));
    }

    [Fact]
    public void LiveSymlinkUnderManagedRoot_LeftAlone()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Commit();
        _h.WriteLive("data/target.txt", "t");
        System.IO.File.CreateSymbolicLink(_h.Live("data/link.txt"), "target.txt");

        var result = _h.Sync(Profile(Dir("src", "data")));

        Assert.NotNull(new FileInfo(_h.Live("data/link.txt")).LinkTarget);
        Assert.Equal(["data/target.txt"], result.Deleted); // the regular orphan goes, the link stays
    }

    [Fact]
    public void RootLevelFileMapping_ManagesOnlyThatFile()
    {
        _h.Repo.WriteFile("config/.versions.json", "{}");
        _h.Commit();
        _h.WriteLive("config/resources/local/manifest.json", "m");
        _h.WriteLive("db/config.idb", "db");

        var result = _h.Sync(Profile(File("config/.versions.json", ".versions.json")));

        Assert.True(_h.LiveExists(".versions.json"));
        Assert.True(_h.LiveExists("config/resources/local/manifest.json"));
        Assert.True(_h.LiveExists("db/config.idb"));
        Assert.Equal([".versions.json"], result.Added);
        Assert.Empty(result.Deleted);
    }

    [Fact]
    public void NestedRoot_OrphanDirectoryRemovedSiblingKept()
    {
        _h.Repo.WriteFile("audit/Features/config.json", "{}");
        _h.Commit();
        _h.WriteLive("config/resources/dev/ignition/audit-profile/Audit/config.json", "{}");
        _h.WriteLive("config/resources/dev/other/keep.json", "{}");

        var result = _h.Sync(Profile(Dir("audit", "config/resources/dev/ignition/audit-profile")));

        Assert.False(_h.LiveExists("config/resources/dev/ignition/audit-profile/Audit"));
        Assert.True(_h.LiveExists("config/resources/dev/ignition/audit-profile/Features/config.json"));
        Assert.True(_h.LiveExists("config/resources/dev/other/keep.json"));
        Assert.Equal(["config/resources/dev/ignition/audit-profile/Audit/config.json"], result.Deleted);
    }

    [Fact]
    public void DryRunNestedRoot_ReportsOrphan()
    {
        _h.Repo.WriteFile("dev/keep.json", "{}");
        _h.Commit();
        _h.WriteLive("config/resources/dev/keep.json", "{}");
        _h.WriteLive("config/resources/dev/orphan.json", "{}");

        var result = _h.Sync(Profile(Dir("dev", "config/resources/dev")), dryRun: true);

        Assert.Equal(["config/resources/dev/orphan.json"], result.Deleted);
        Assert.True(_h.LiveExists("config/resources/dev/orphan.json"));
    }

    // Issue override: the original never cleaned a destination written with a trailing slash; here
    // "projects/" and "projects" are the same root, so the orphan IS deleted.
    [Fact]
    public void TrailingSlashDestination_OrphanDeleted()
    {
        _h.Repo.WriteFile("src/New/project.json", "{}");
        _h.Commit();
        _h.WriteLive("projects/Old/x", "old");

        var result = _h.Sync(Profile(Dir("src", "projects/")));

        Assert.False(_h.LiveExists("projects/Old"));
        Assert.Equal(["projects/Old/x"], result.Deleted);
        Assert.Equal(["projects/New/project.json"], result.Added);
    }

    // Adjusted: there is no staging directory any more (files are written in place atomically); what the
    // scenario protects — no sync debris left in the data directory — is asserted instead.
    [Fact]
    public void AfterSync_NoStagingOrTemporaryFilesInDataDirectory()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Repo.WriteFile("src/b/c.txt", "c");
        _h.Commit();

        _h.Sync(Profile(Dir("src", "data")));

        Assert.False(_h.LiveExists(".sync-staging"));
        Assert.Equal(["data", "data/a.txt", "data/b", "data/b/c.txt"], Snapshot(_h.Data).Keys);
    }

    [Fact]
    public void Projects_DirectoryNamesUnderProjectsSorted()
    {
        _h.Repo.WriteFile("p/Zeta/project.json", "{}");
        _h.Repo.WriteFile("p/Alpha/project.json", "{}");
        _h.Repo.WriteFile("p/readme.txt", "not a project");
        _h.Commit();
        _h.WriteLive("projects/Beta/project.json", "{}"); // outside the mapping? no: under it, so deleted

        var none = _h.Sync(Profile(Dir("p", "other")));
        var result = _h.Sync(Profile(Dir("p", "projects")));

        Assert.Equal(["Beta"], none.Projects);
        Assert.Equal(["Alpha", "Zeta"], result.Projects);
    }

    [Fact]
    public void NoProjectsDirectory_ProjectsNull()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Commit();

        Assert.Null(_h.Sync(Profile(Dir("src", "data"))).Projects);
    }

    // Equality is by content (git blob hash): identical ⇒ untouched, different ⇒ rewritten, missing ⇒ added.
    // Adjusted: a live symlink at a desired file path is refused instead of being overwritten through.
    [Fact]
    public void FileEquality_IdenticalUntouchedDifferentRewrittenMissingAdded()
    {
        _h.Repo.WriteFile("src/same.txt", "same");
        _h.Repo.WriteFile("src/diff.txt", "new");
        _h.Repo.WriteFile("src/missing.txt", "m");
        _h.Commit();
        _h.WriteLive("data/same.txt", "same");
        _h.WriteLive("data/diff.txt", "old");
        var sameBefore = _h.FileIdentities()["data/same.txt"];

        var result = _h.Sync(Profile(Dir("src", "data")), useManifest: false);

        Assert.Equal(["data/missing.txt"], result.Added);
        Assert.Equal(["data/diff.txt"], result.Modified);
        Assert.Equal(sameBefore, _h.FileIdentities()["data/same.txt"]);
    }

    [Fact]
    public void LiveSymlinkAtDesiredPath_Refused()
    {
        _h.Repo.WriteFile("src/same.txt", "same");
        _h.Commit();
        _h.WriteLive("data/real.txt", "same");
        System.IO.File.CreateSymbolicLink(_h.Live("data/same.txt"), "real.txt");

        var error = _h.SyncFails(Profile(Dir("src", "data")));

        Assert.Contains("refusing to replace data/same.txt: it is a symlink", error.Message, StringComparison.Ordinal);
    }

    // Issue override: a missing non-required source is skipped and reported (the documented behaviour);
    // the original failed the whole sync.
    [Fact]
    public void MissingNonRequiredSource_SkippedAndReported()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Commit();
        _h.WriteLive("elsewhere/keep.txt", "kept: a skipped mapping manages nothing");

        var result = _h.Sync(Profile(Dir("src", "data"), Dir("does/not/exist", "elsewhere")));

        Assert.Equal(["data/a.txt"], result.Added);
        Assert.True(_h.LiveExists("elsewhere/keep.txt"));
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("does/not/exist", skipped.Source);
        Assert.Contains("mapping[1] source does not exist", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredMappingWithMissingSource_Fails()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Commit();

        var error = _h.SyncFails(Profile(new Mapping { Source = "nope", Destination = "data", Required = true }));

        Assert.Equal("mapping[0]: required source does not exist: nope", error.Message);
        Assert.Empty(Snapshot(_h.Data));
    }

    [Fact]
    public void ExplicitDirTypeOnFileSource_TypeMismatch()
    {
        _h.Repo.WriteFile("config/.versions.json", "{}");
        _h.Commit();

        var error = _h.SyncFails(Profile(new Mapping { Source = "config/.versions.json", Destination = "v.json", Type = MappingType.Dir }));

        Assert.Equal("mapping[0]: type mismatch: spec says \"dir\" but \"config/.versions.json\" is a file", error.Message);
    }

    [Fact]
    public void OmittedType_InferredFromCommit()
    {
        _h.Repo.WriteFile("config/.versions.json", "{\"v\":1}");
        _h.Repo.WriteFile("config/sub/x.txt", "x");
        _h.Commit();

        var result = _h.Sync(Profile(
            new Mapping { Source = "config/.versions.json", Destination = ".versions.json" },
            new Mapping { Source = "config/sub", Destination = "sub" },
            new Mapping { Source = "config/missing", Destination = "missing" }));

        Assert.Equal("{\"v\":1}", _h.ReadLive(".versions.json")); // file
        Assert.Equal("x", _h.ReadLive("sub/x.txt")); // dir
        Assert.Equal("config/missing", Assert.Single(result.Skipped).Source); // nonexistent: dir, skipped
    }

    [Fact]
    public void TemplatedSourcePath_RendersVarsDestinationKept()
    {
        _h.Repo.WriteFile("site/us-east/a.txt", "east");
        _h.Repo.WriteFile("site/us-west/a.txt", "west");
        _h.Commit();
        var context = DefaultContext with { Vars = new Dictionary<string, string> { ["region"] = "us-east" } };

        var result = _h.Sync(Profile(Dir("site/{{.Vars.region}}", "config/resources")), context);

        Assert.Equal(["config/resources/a.txt"], result.Added);
        Assert.Equal("east", _h.ReadLive("config/resources/a.txt"));
    }

    [Fact]
    public void ProfileExcludes_CarriedFirstAndAllHonoured()
    {
        var profile = ProfileResolver.Resolve(null, new SyncProfile { Mappings = [Dir("src", "data")], ExcludePatterns = ["**/*.bak", "**/*.tmp", "**/*.log"] });
        // After the defaults' patterns and before the always-enforced ones (the engine adds nothing else).
        Assert.Equal(["**/*.bak", "**/*.tmp", "**/*.log"], profile.ExcludePatterns.Where(p => p.StartsWith("**/*.", StringComparison.Ordinal)));
        _h.Repo.WriteFile("src/a.bak", "x");
        _h.Repo.WriteFile("src/b.tmp", "x");
        _h.Repo.WriteFile("src/deep/c.log", "x");
        _h.Repo.WriteFile("src/keep.json", "x");
        _h.Commit();

        Assert.Equal(["data/keep.json"], _h.Sync(profile).Added);
    }

    [Theory]
    [InlineData("config/resources", "config/resources")]
    [InlineData("projects/myproject", "projects/myproject")]
    [InlineData(".", "")]
    [InlineData("config", "config")]
    [InlineData("projects/", "projects")]
    [InlineData("./a/../b", "b")]
    public void RenderedPathValidation_ValidPathsCleaned(string rendered, string expected) =>
        Assert.Equal(expected, SyncPaths.ValidateRendered("mapping[0].destination", rendered));

    [Theory]
    [InlineData("../escape", "path traversal not allowed: ../escape")]
    [InlineData("config/../../etc", "path traversal not allowed: config/../../etc")]
    [InlineData("/absolute/path", "absolute path not allowed: /absolute/path")]
    [InlineData("..", "path traversal not allowed: ..")]
    [InlineData("", "rendered to an empty path")]
    public void RenderedPathValidation_InvalidPathsRefused(string rendered, string expected)
    {
        var error = Assert.Throws<SyncException>(() => SyncPaths.ValidateRendered("mapping[0].destination", rendered));
        Assert.StartsWith("mapping[0].destination: " + expected, error.Message, StringComparison.Ordinal);
    }
}
