using System.Diagnostics;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Sync;

namespace Stoker.Tests.AgentCli;

/// <summary>
/// Kills a real <c>stoker-agent sync</c> process in the middle of replacing a few thousand files: every file must
/// hold its old or its new content (never a mix or a truncation), and running the sync again must converge and
/// leave no temporary files.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int FileCount = 3000;
    private readonly TempDirectory _dir = new("crash");
    private readonly GitRepository _repo;

    public CrashSafetyTests() => _repo = GitRepository.Create(_dir.Combine("repo"));

    public void Dispose()
    {
        _repo.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task KilledMidway_EveryFileOldOrNew_RerunConverges()
    {
        for (var i = 0; i < FileCount; i++)
        {
            _repo.WriteFile(FileName(i), Content("old", i));
        }

        _repo.Commit("old");
        var resource = Path.Join(_dir.Path, "gs.yaml");
        await File.WriteAllTextAsync(resource, """
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata: { name: crash, namespace: ns }
            spec:
              git: { repo: "unused", ref: "main" }
              gateway: { api: { secretName: k } }
              sync:
                profiles:
                  default:
                    mappings:
                      - { source: "files", destination: "files" }
            """);
        string[] args = ["sync", "--resource", resource, "--repo", _repo.Path, "--data", _dir.Combine("data"), "--work", _dir.Combine("work"), "--pod-name", "gw-0"];
        var initial = await AgentProcess.RunAsync(args);
        Assert.True(initial.ExitCode == 0, initial.ToString());
        for (var i = 0; i < FileCount; i++)
        {
            _repo.WriteFile(FileName(i), Content("new", i));
        }

        _repo.Commit("new");

        using (var process = Process.Start(AgentProcess.StartInfo(args))!)
        {
            // Files are replaced in path order: once the first one is new, the sync is under way.
            var first = Path.Join(_dir.Path, "data", FileName(0));
            await Eventually.Until(() => Task.FromResult(File.ReadAllText(first)), c => c == Content("new", 0) || process.HasExited, TimeSpan.FromMinutes(2), "the sync to start replacing files");
            Assert.False(process.HasExited, "the sync finished before it could be killed; nothing was proven");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var counts = new Dictionary<string, int> { ["old"] = 0, ["new"] = 0 };
        for (var i = 0; i < FileCount; i++)
        {
            var content = await File.ReadAllTextAsync(Path.Join(_dir.Path, "data", FileName(i)));
            var which = content == Content("old", i) ? "old" : content == Content("new", i) ? "new" : $"neither (file {i}: {content.Length} chars)";
            Assert.True(which is "old" or "new", which);
            counts[which]++;
        }

        Assert.True(counts["old"] > 0 && counts["new"] > 0, $"killed midway: {counts["old"]} old, {counts["new"]} new");

        var rerun = await AgentProcess.RunAsync(args);
        var again = await AgentProcess.RunAsync(args);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(counts["old"], rerun.Report.GetProperty("filesWritten").GetInt32());
        Assert.Equal(0, again.Report.GetProperty("filesWritten").GetInt32());
        var live = SyncHarness.Snapshot(_dir.Combine("data"));
        Assert.DoesNotContain(live.Keys, k => k.EndsWith(".stoker-tmp", StringComparison.Ordinal));
        Assert.Equal(FileCount, live.Values.Count(v => v.StartsWith("file:", StringComparison.Ordinal)));
        for (var i = 0; i < FileCount; i++)
        {
            Assert.Equal(Content("new", i), await File.ReadAllTextAsync(Path.Join(_dir.Path, "data", FileName(i))));
        }
    }

    private static string FileName(int i) => $"files/d{i % 20:D2}/f{i:D4}.json";

    // A few kilobytes each, so a torn write would show as a truncated or mixed file.
    private static string Content(string version, int i) => string.Concat(Enumerable.Repeat($"{version}-{i};", 400));
}
