using System.Security.Cryptography;
using Stoker.Sync;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>The manifest's binary format: a faithful round trip, and a damaged file only ever costs a full compare.</summary>
public sealed class ManifestFormatTests : IDisposable
{
    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void RoundTrip_KeepsEveryField()
    {
        var manifest = new SyncManifest
        {
            DataDirectory = "/data",
            Commit = new string('a', 40),
            PlanKey = "plan",
            Files = new SortedDictionary<string, ManifestFile>(StringComparer.Ordinal)
            {
                ["bin/run.sh"] = new() { Mapping = 0, Source = "src/run.sh", Blob = new string('b', 40), Executable = true, Hash = new string('b', 40), Size = 12, ModifiedTicks = 638_000_000_000_000_001 },
                ["config/é.json"] = new() { Mapping = 300, Source = "tpl/é.json", Blob = new string('c', 40), RenderKey = "render", Hash = new string('d', 40), Size = long.MaxValue, ModifiedTicks = 0 },
            },
            Directories = ["bin", "config"],
            Skipped = [new SkippedSource("src/link", "bin/link", SkippedSource.SymlinkReason)],
        };
        using var stream = new MemoryStream();

        ManifestCodec.Write(stream, manifest);
        var read = ManifestCodec.Read(stream.ToArray());

        Assert.Equal((manifest.Version, manifest.DataDirectory, manifest.Commit, manifest.PlanKey), (read.Version, read.DataDirectory, read.Commit, read.PlanKey));
        Assert.Equal(manifest.Files, read.Files);
        Assert.Equal(manifest.Directories, read.Directories);
        Assert.Equal(manifest.Skipped, read.Skipped);
        Assert.Same(read.Files["bin/run.sh"].Blob, read.Files["bin/run.sh"].Hash); // a plain file's hash is its blob id, stored once
    }

    [Fact]
    public void ACountLargerThanTheFile_IsRefused_WithoutAllocatingIt()
    {
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(0x4D4B5453u);
            writer.Write(SyncManifest.CurrentVersion);
            writer.Write("/data");
            writer.Write("commit");
            writer.Write("plan");
            writer.Write7BitEncodedInt(int.MaxValue);
        }

        var bytes = content.ToArray().Concat(SHA256.HashData(content.ToArray())).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ManifestCodec.Read(bytes));
        Assert.Contains($"{int.MaxValue} records cannot fit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("truncated")]
    [InlineData("one byte changed")]
    [InlineData("the old JSON format")]
    public void ADamagedManifest_IsIgnored_TheSyncComparesEverything_AndWritesANewOne(string damage)
    {
        for (var i = 0; i < 50; i++)
        {
            _h.Repo.WriteFile($"src/dir{i % 5}/file{Number(i)}.txt", $"content {i}");
        }

        _h.Commit("seed");
        var profile = Profile(Dir("src", "site"));
        _h.Sync(profile);
        var expected = Snapshot(_h.Data);
        var path = Directory.GetFiles(_h.State).Single();
        var bytes = System.IO.File.ReadAllBytes(path);
        System.IO.File.WriteAllBytes(path, damage switch
        {
            "empty" => [],
            "truncated" => bytes[..(bytes.Length / 2)],
            "one byte changed" => [.. bytes[..(bytes.Length / 2)], (byte)(bytes[bytes.Length / 2] ^ 0x20), .. bytes[(bytes.Length / 2 + 1)..]],
            _ => System.Text.Encoding.UTF8.GetBytes("{\"version\":1,\"files\":{}}"),
        });
        System.IO.File.SetLastWriteTimeUtc(path, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)); // never the copy this process remembers

        var damaged = _h.Sync(profile);
        var next = _h.Sync(profile);

        Assert.False(damaged.Incremental);
        Assert.Equal(50, damaged.FilesHashed); // without a manifest every live file is read
        Assert.Equal(0, damaged.FilesChanged);
        Assert.Equal(expected, Snapshot(_h.Data));
        Assert.True(next.Incremental);
        Assert.Equal(0, next.FilesHashed);
    }
}
