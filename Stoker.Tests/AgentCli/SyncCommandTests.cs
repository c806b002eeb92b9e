using System.Text.Json;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Sync;

namespace Stoker.Tests.AgentCli;

/// <summary><c>stoker-agent sync</c> as a real process against real repositories (local path and smart HTTP).</summary>
public sealed class SyncCommandTests : IDisposable
{
    private readonly SyncWorkspace _ws = new("agent-cli");

    public SyncCommandTests()
    {
        _ws.Repo.WriteFile("services/gw/projects/Alpha/project.json", "{\"title\":\"Alpha\"}");
        _ws.Repo.WriteFile("services/gw/projects/Beta/project.json", "{\"title\":\"Beta\"}");
        _ws.Repo.WriteFile("services/gw/config/system.json", "{\"SystemName\":\"{{.GatewayName}}\",\"site\":\"{{.Labels.site}}\",\"env\":\"{{.Vars.env}}\"}");
        _ws.Repo.Commit("initial");
    }

    private string Data => _ws.Data;

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Sync_LocalRepository_ExitsZeroPrintsReportAndResyncIsIncremental()
    {
        var resource = WriteResource();

        var run = await Sync(resource, "--repo", _ws.Repo.Path);
        var again = await Sync(resource, "--repo", _ws.Repo.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Report;
        Assert.Equal("Synced", report.GetProperty("status").GetString());
        Assert.Equal(_ws.Repo.Head(), report.GetProperty("commit").GetString());
        Assert.Equal(3, report.GetProperty("filesAdded").GetInt32());
        Assert.Equal(["Alpha", "Beta"], report.GetProperty("projectsSynced").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("{\"SystemName\":\"gw-blue\",\"site\":\"east\",\"env\":\"prod\"}", File.ReadAllText(Path.Join(Data, "config/system.json")));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(again.Report.GetProperty("incremental").GetBoolean());
        Assert.Equal(0, again.Report.GetProperty("filesWritten").GetInt32());
        Assert.DoesNotContain("{", run.Stderr.Split('\n').FirstOrDefault(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase)) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_FilesEditedAndDeletedByHandBetweenRuns_AreFoundAndRestored()
    {
        // A one-shot process has no change feed: it must still find what changed by hand since its last run.
        var resource = WriteResource();
        var first = await Sync(resource, "--repo", _ws.Repo.Path);
        var edited = Path.Join(Data, "projects/Alpha/project.json");
        File.WriteAllText(edited, "{\"title\":\"edited by hand\"}");
        File.Delete(Path.Join(Data, "projects/Beta/project.json"));

        var second = await Sync(resource, "--repo", _ws.Repo.Path);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.True(second.Report.GetProperty("incremental").GetBoolean());
        Assert.Equal(
            [("projects/Alpha/project.json", "changed"), ("projects/Beta/project.json", "removed")],
            second.Report.GetProperty("drift").EnumerateArray().Select(d => (d.GetProperty("path").GetString()!, d.GetProperty("change").GetString()!)).OrderBy(d => d.Item1, StringComparer.Ordinal));
        Assert.Equal(2, second.Report.GetProperty("filesWritten").GetInt32());
        Assert.Equal("{\"title\":\"Alpha\"}", File.ReadAllText(edited));
        Assert.Equal("{\"title\":\"Beta\"}", File.ReadAllText(Path.Join(Data, "projects/Beta/project.json")));
    }

    [Fact]
    public async Task Sync_SmartHttpUrl_ClonesThenFetchesNewCommitIncrementally()
    {
        await using var server = await SmartHttpGitServer.StartAsync(_ws.Combine("repos"));
        var resource = WriteResource();
        var url = server.UrlFor("site");
        var first = await Sync(resource, "--repo", url);
        _ws.Repo.WriteFile("services/gw/projects/Alpha/project.json", "{\"title\":\"Alpha v2\"}");
        var second = _ws.Repo.Commit("second");
        var next = await Sync(resource, "--repo", url);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(second, next.Report.GetProperty("commit").GetString());
        Assert.Equal(["projects/Alpha/project.json"], next.Report.GetProperty("modified").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, next.Report.GetProperty("filesWritten").GetInt32());
        Assert.True(next.Report.GetProperty("incremental").GetBoolean());
        Assert.Equal("{\"title\":\"Alpha v2\"}", File.ReadAllText(Path.Join(Data, "projects/Alpha/project.json")));
    }

    [Fact]
    public async Task Sync_TokenOverHttp_AuthenticatesAndNeverPrintsTheToken()
    {
        await using var server = await SmartHttpGitServer.StartAsync(_ws.Combine("repos"), ("x-access-token", "right-token-123"));
        var resource = WriteResource();
        var good = _ws.Combine("good-token");
        var bad = _ws.Combine("bad-token");
        File.WriteAllText(good, "right-token-123\n");
        File.WriteAllText(bad, "wrong-token-456\n");

        var ok = await Sync(resource, "--repo", server.UrlFor("site"), "--token-file", good);
        var refused = await Sync(resource, "--repo", server.UrlFor("site"), "--token-file", bad, "--work", _ws.Combine("work2"));

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Error", refused.Report.GetProperty("status").GetString());
        Assert.DoesNotContain("wrong-token-456", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("right-token-123", ok.Stdout + ok.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_DryRun_DataDirectoryByteIdentical()
    {
        var resource = WriteResource();
        Directory.CreateDirectory(Path.Join(Data, "projects/Old"));
        File.WriteAllText(Path.Join(Data, "projects/Old/x.json"), "old");
        File.WriteAllText(Path.Join(Data, "untouched.txt"), "mine");
        var before = SyncHarness.Snapshot(Data);

        var run = await Sync(resource, "--repo", _ws.Repo.Path, "--dry-run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("DryRun", run.Report.GetProperty("status").GetString());
        Assert.Equal(3, run.Report.GetProperty("filesAdded").GetInt32());
        Assert.Equal(["projects/Old/x.json"], run.Report.GetProperty("deleted").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(before, SyncHarness.Snapshot(Data));
    }

    [Fact]
    public async Task Sync_RefAsAnnotatedTagAndAsCommitId_ResolvesToTheCommit()
    {
        var first = _ws.Repo.Head();
        _ws.Repo.Tag("v1.0.0", "release one");
        _ws.Repo.WriteFile("services/gw/projects/Alpha/project.json", "{}");
        _ws.Repo.Commit("later");
        var resource = WriteResource();

        var byTag = await Sync(resource, "--repo", _ws.Repo.Path, "--ref", "v1.0.0", "--dry-run");
        var bySha = await Sync(resource, "--repo", _ws.Repo.Path, "--ref", first, "--dry-run", "--work", _ws.Combine("work-sha"));

        Assert.True(byTag.ExitCode == 0, byTag.ToString());
        Assert.True(bySha.ExitCode == 0, bySha.ToString());
        Assert.Equal(first, byTag.Report.GetProperty("commit").GetString());
        Assert.Equal(first, bySha.Report.GetProperty("commit").GetString());
    }

    [Fact]
    public async Task Sync_InvalidResource_ExitsTwoListingEveryViolationWithFieldPath()
    {
        var resource = WriteResource(destination: "../etc", syncPeriod: 4);

        var run = await Sync(resource, "--repo", _ws.Repo.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("spec.sync.profiles.default.mappings[1].destination", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.sync.defaults.syncPeriod", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
        Assert.False(Directory.Exists(Data));
    }

    [Theory]
    [InlineData("missing --data", "--data")]
    [InlineData("bad label", "--label \"novalue\": expected key=value")]
    [InlineData("unknown option", "--frobnicate")]
    [InlineData("missing profile", "--profile: profile \"nope\" not found")]
    public async Task Sync_InvalidArguments_ExitsTwoNamingTheOption(string what, string expected)
    {
        var resource = WriteResource();
        string[] args = what switch
        {
            "missing --data" => ["sync", "--resource", resource],
            "bad label" => ["sync", "--resource", resource, "--data", Data, "--label", "novalue"],
            "unknown option" => ["sync", "--resource", resource, "--data", Data, "--frobnicate"],
            _ => ["sync", "--resource", resource, "--data", Data, "--profile", "nope"],
        };

        var run = await AgentProcess.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_FailingSync_ExitsOneWithErrorReport()
    {
        var resource = WriteResource(extraMapping: "          - source: not/there\n            destination: x\n            required: true\n");

        var run = await Sync(resource, "--repo", _ws.Repo.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("Error", run.Report.GetProperty("status").GetString());
        Assert.Equal("mapping[2]: required source does not exist: not/there", run.Report.GetProperty("errorMessage").GetString());
        Assert.Contains("required source does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_UnknownRef_ExitsOne()
    {
        var run = await Sync(WriteResource(), "--repo", _ws.Repo.Path, "--ref", "no-such-branch");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("ref no-such-branch not found", run.Report.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_Help_DocumentsOptionsAndDefaults()
    {
        var run = await AgentProcess.RunAsync("sync", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--resource", "--profile", "--repo", "--ref", "--data", "--work", "--gateway-name", "--pod-name", "--namespace", "--label", "--var", "--dry-run", "Default: the pod name" })
        {
            Assert.Contains(option, run.Stdout, StringComparison.Ordinal);
        }
    }

    private Task<AgentRun> Sync(string resource, params string[] extra) =>
        _ws.SyncAsync(resource, ["--gateway-name", "gw-blue", "--label", "site=east", "--var", "env=prod", .. extra]);

    private string WriteResource(string destination = "projects/", int? syncPeriod = null, string extraMapping = "")
    {
        var defaults = syncPeriod is null ? "" : $"    defaults:\n      syncPeriod: {syncPeriod}\n";
        var yaml = $"""
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

            """ + defaults + $"""
                profiles:
                  default:
                    vars:
                      env: "dev"
                    mappings:
                      - source: "services/gw/config"
                        destination: "config"
                        template: true
                      - source: "services/gw/projects"
                        destination: {JsonSerializer.Serialize(destination)}

            """ + extraMapping;
        return _ws.WriteResource(yaml);
    }
}
