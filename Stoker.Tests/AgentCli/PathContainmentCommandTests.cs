using System.Text.Json;
using Stoker.Tests.Sync;

namespace Stoker.Tests.AgentCli;

/// <summary>
/// Issue 14, point 5, through a real <c>stoker-agent sync</c> process against a real git repository: a template
/// variable, a label, a committed symlink and a symlink planted in the data folder that would each reach outside the
/// data folder are refused (or, for the committed symlink, never followed and reported) with a clear message, and the
/// folder beside the data folder stays exactly as it was.
/// </summary>
public sealed class PathContainmentCommandTests : IDisposable
{
    private const string Sentinel = "must survive";

    private readonly SyncWorkspace _ws = new("agent-cli-paths", "box", "data");

    public PathContainmentCommandTests()
    {
        _ws.Repo.WriteFile("services/gw/projects/Alpha/project.json", "{\"title\":\"Alpha\"}");
        Directory.CreateDirectory(_ws.Data);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Join(Outside, "keep.txt"), Sentinel);
    }

    /// <summary>A folder beside the data folder's parent: <c>../../outside</c> from the data folder.</summary>
    private string Outside => _ws.Combine("outside");

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("a var in the resource", "{{.Vars.x}}/pwned", "mapping[0].destination: path traversal not allowed: ../../outside/pwned")]
    [InlineData("a --var", "{{.Vars.cli}}/pwned", "mapping[0].destination: path traversal not allowed: ../../outside/pwned")]
    [InlineData("a --label", "config/{{.Labels.site}}", "mapping[0].destination: path traversal not allowed: config/../../../outside")]
    [InlineData("an absolute var", "{{.Vars.root}}/pwned", "mapping[0].destination: absolute path not allowed: ")]
    public async Task Sync_RenderedDestinationLeavingTheDataFolder_RefusedNothingWrittenOutside(string how, string destination, string expected)
    {
        _ws.Repo.Commit("initial");
        _ws.WriteResource(Resource(destination, vars: "x: ../../outside"));
        var before = SyncHarness.Snapshot(_ws.Path, skip: "work");

        var run = await _ws.SyncAsync(_ws.Resource, "--repo", _ws.Repo.Path, "--gateway-name", "gw",
            "--var", "cli=../../outside", "--var", "root=" + Outside, "--label", "site=../../../outside");

        Assert.True(run.ExitCode == 1, $"{how}: {run}");
        Assert.Equal("Error", run.Report.GetProperty("status").GetString());
        Assert.Contains(expected, run.Report.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, SyncHarness.Snapshot(_ws.Path, skip: "work"));
        AssertOutsideUnchanged();
    }

    [Fact]
    public async Task Sync_CommittedSymlinksPointingOutside_NeverFollowedAndReported()
    {
        _ws.Repo.Symlink("services/gw/projects/secret.txt", Path.Join(Outside, "keep.txt"));
        _ws.Repo.Symlink("services/gw/projects/relative.txt", "../../../../outside/keep.txt");
        _ws.Repo.Symlink("services/gw/projects/linked", Outside);
        _ws.Repo.Commit("symlinks");
        _ws.WriteResource(SyncWorkspace.ProjectsResource);

        var run = await _ws.SyncAsync(_ws.Resource, "--repo", _ws.Repo.Path, "--gateway-name", "gw");

        Assert.True(run.ExitCode == 0, run.ToString());
        var skipped = run.Report.GetProperty("skipped").EnumerateArray()
            .Select(s => (Destination: s.GetProperty("destination").GetString(), Reason: s.GetProperty("reason").GetString()))
            .ToList();
        Assert.Equal(["projects/linked", "projects/relative.txt", "projects/secret.txt"], skipped.Select(s => s.Destination).Order(StringComparer.Ordinal));
        Assert.All(skipped, s => Assert.Contains("symlink", s.Reason, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Join(_ws.Data, "projects", "Alpha", "project.json")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_ws.Data, "*", SearchOption.AllDirectories),
            e => new FileInfo(e).LinkTarget is not null || e.EndsWith("secret.txt", StringComparison.Ordinal) || e.EndsWith("relative.txt", StringComparison.Ordinal));
        AssertOutsideUnchanged();
    }

    [Theory]
    [InlineData("projects", "refusing to write into projects: it is a symlink in the data directory")]
    [InlineData("projects/Alpha", "projects/Alpha")]
    public async Task Sync_SymlinkPlantedInTheDataFolder_RefusedNothingWrittenOrDeletedOutside(string planted, string expected)
    {
        _ws.Repo.Commit("initial");
        _ws.WriteResource(SyncWorkspace.ProjectsResource);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Join(_ws.Data, planted))!);
        File.CreateSymbolicLink(Path.Join(_ws.Data, planted), Outside);

        var run = await _ws.SyncAsync(_ws.Resource, "--repo", _ws.Repo.Path, "--gateway-name", "gw");

        Assert.True(run.ExitCode == 1, run.ToString());
        var message = run.Report.GetProperty("errorMessage").GetString()!;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("symlink", message, StringComparison.Ordinal);
        AssertOutsideUnchanged();
    }

    private void AssertOutsideUnchanged()
    {
        var entries = Directory.EnumerateFileSystemEntries(Outside, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal([Path.Join(Outside, "keep.txt")], entries);
        Assert.Equal(Sentinel, File.ReadAllText(Path.Join(Outside, "keep.txt")));
    }

    private static string Resource(string destination, string vars) => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: site
          namespace: plant
        spec:
          git:
            repo: "https://example.invalid/never-used.git"
            ref: "main"
          gateway:
            api:
              secretName: gw-api-key
          sync:
            profiles:
              default:
                vars:
                  {vars}
                mappings:
                  - source: "services/gw/projects"
                    destination: {JsonSerializer.Serialize(destination)}
        """;
}
