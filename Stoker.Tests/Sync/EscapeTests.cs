using Stoker.Sync;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>
/// Attempts to write outside the data directory. Each is refused with an error naming the path and the rule
/// (or, for repository symlinks, skipped and reported), and the folder around the data directory — which
/// holds a decoy "outside" folder — is byte-identical afterwards.
/// </summary>
public sealed class EscapeTests : IDisposable
{
    private readonly SyncHarness _h = new();
    private readonly string _outside;

    public EscapeTests()
    {
        _outside = Path.Join(_h.Parent, "outside");
        Directory.CreateDirectory(_outside);
        System.IO.File.WriteAllText(Path.Join(_outside, "secret.txt"), "do not touch");
        _h.Repo.WriteFile("src/payload.txt", "payload");
        _h.Repo.WriteFile("src/nested/payload.json", "{}");
        _h.Repo.WriteFile("file.txt", "payload");
    }

    public void Dispose() => _h.Dispose();

    public static TheoryData<string, string, string, string> RefusedMappings => new()
    {
        // name, source, destination, expected message
        { "templated .. through a var", "src", "{{.Vars.dir}}", "mapping[0].destination: path traversal not allowed: ../outside" },
        { "templated .. through a label", "src", "config/{{.Labels.site}}", "mapping[0].destination: path traversal not allowed: config/../../outside" },
        { "templated .. through a label in the middle", "src", "a/{{.Labels.site}}/b", "mapping[0].destination: path traversal not allowed: a/../../outside/b" },
        { "absolute destination", "src", "/tmp/stoker-escape", "mapping[0].destination: absolute path not allowed: /tmp/stoker-escape" },
        { "templated absolute destination", "src", "{{.Vars.root}}/outside", "mapping[0].destination: absolute path not allowed: " },
        { "plain .. destination", "src", "config/../../outside", "mapping[0].destination: path traversal not allowed: config/../../outside" },
        { "templated .. in the source", "{{.Vars.dir}}", "data", "mapping[0].source: path traversal not allowed: ../outside" },
    };

    [Theory]
    [MemberData(nameof(RefusedMappings))]
    public void Escape_TemplatedOrLiteralPath_RefusedAndNothingWrittenOutside(string attempt, string source, string destination, string expected)
    {
        _h.Commit();
        var context = DefaultContext with
        {
            Vars = new Dictionary<string, string> { ["dir"] = "../outside", ["root"] = Path.GetDirectoryName(_outside)! },
            Labels = new Dictionary<string, string> { ["site"] = "../../outside" },
        };

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(Dir(source, destination)), context);
            Assert.True(error.Message.StartsWith(expected, StringComparison.Ordinal), $"{attempt}: {error.Message}");
        });
    }

    [Fact]
    public void Escape_DotDotInPatchFileGlob_Refused()
    {
        _h.Commit();
        var mapping = Dir("src", "data") with { Patches = [new JsonPatchSpec { File = "../outside/secret.json", Set = new Dictionary<string, string> { ["a"] = "b" } }] };

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(mapping));
            Assert.Equal("mapping[0].patches[0].file: path traversal not allowed: ../outside/secret.json", error.Message);
        });
    }

    [Fact]
    public void Escape_SymlinkedFileInRepository_SkippedAndReported()
    {
        _h.Repo.Symlink("src/secret.txt", Path.Join(_outside, "secret.txt"));
        _h.Repo.Symlink("src/relative.txt", "../../outside/secret.txt");
        _h.Commit();

        AssertNothingOutside(() =>
        {
            var result = _h.Sync(Profile(Dir("src", "data")));
            Assert.Equal(["data/relative.txt", "data/secret.txt"], result.Skipped.Select(s => s.Destination));
            Assert.All(result.Skipped, s => Assert.Equal(SkippedSource.SymlinkReason, s.Reason));
            Assert.False(_h.LiveExists("data/secret.txt"));
        });
    }

    [Fact]
    public void Escape_SymlinkedDirectoryInRepository_NotFollowed()
    {
        _h.Repo.Symlink("src/linked", _outside);
        _h.Commit();

        AssertNothingOutside(() =>
        {
            var result = _h.Sync(Profile(Dir("src", "data"), Dir("src/linked", "through-link")));
            Assert.Contains(result.Skipped, s => s.Destination == "data/linked" && s.Reason == SkippedSource.SymlinkReason);
            Assert.Contains(result.Skipped, s => s.Source == "src/linked" && s.Reason.Contains("is a symlink, which is never followed", StringComparison.Ordinal));
            Assert.False(_h.LiveExists("data/linked"));
            Assert.False(_h.LiveExists("through-link"));
        });
    }

    [Fact]
    public void Escape_RequiredSourceThroughSymlinkedDirectory_Refused()
    {
        _h.Repo.Symlink("src/linked", "../src");
        _h.Commit();

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(new Mapping { Source = "src/linked/payload.txt", Destination = "p.txt", Required = true }));
            Assert.Equal("mapping[0]: required source \"src/linked/payload.txt\" is inside a symlink \"src/linked\", which is never followed", error.Message);
        });
    }

    [Fact]
    public void Escape_SymlinkInDataDirectoryAtFilePath_Refused()
    {
        _h.Commit();
        Directory.CreateDirectory(_h.Live("data"));
        System.IO.File.CreateSymbolicLink(_h.Live("data/payload.txt"), Path.Join(_outside, "secret.txt"));

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(Dir("src", "data")));
            Assert.StartsWith("refusing to replace data/payload.txt: it is a symlink in the data directory", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Escape_SymlinkedAncestorDirectoryInDataDirectory_Refused()
    {
        _h.Commit();
        System.IO.File.CreateSymbolicLink(_h.Live("config"), _outside);

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(Dir("src", "config/resources/core")));
            Assert.StartsWith("refusing to write config/resources/core", error.Message, StringComparison.Ordinal);
            Assert.Contains("config in the data directory is a symlink", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Escape_SymlinkedManagedRootInDataDirectory_RefusedAndNotEmptied()
    {
        _h.Commit();
        System.IO.File.CreateSymbolicLink(_h.Live("data"), _outside);

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(Dir("src", "data")));
            Assert.StartsWith("refusing to write into data: it is a symlink in the data directory", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Escape_SymlinkedParentOfFileMapping_Refused()
    {
        _h.Commit();
        System.IO.File.CreateSymbolicLink(_h.Live("conf"), _outside);

        AssertNothingOutside(() =>
        {
            var error = _h.SyncFails(Profile(File("file.txt", "conf/secret.txt")));
            Assert.StartsWith("refusing to write conf/secret.txt: conf in the data directory is a symlink", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Escape_AllAttemptsTogether_NothingCreatedOutsideDataDirectory()
    {
        // One repository carrying every repository-side trick at once, synced for real.
        _h.Repo.Symlink("src/abs-link", Path.Join(_outside, "secret.txt"));
        _h.Repo.Symlink("src/dir-link", _outside);
        _h.Repo.Symlink("src/up-link", "../../../outside");
        _h.Commit();

        AssertNothingOutside(() =>
        {
            var result = _h.Sync(Profile(Dir("src", "."), Dir("src/dir-link", "x"), File("src/abs-link", "y")));
            Assert.Equal(5, result.Skipped.Count);
            Assert.Equal(["nested/payload.json", "payload.txt"], result.Added);
        });
    }

    private void AssertNothingOutside(Action attempt)
    {
        var before = Snapshot(_h.Parent, skip: "data");
        var rootBefore = Snapshot(Path.GetTempPath().TrimEnd('/') + "/stoker-escape");
        attempt();
        Assert.Equal(before, Snapshot(_h.Parent, skip: "data"));
        Assert.Equal(rootBefore, Snapshot(Path.GetTempPath().TrimEnd('/') + "/stoker-escape"));
        Assert.False(Path.Exists("/tmp/stoker-escape"));
    }
}
