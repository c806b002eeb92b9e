using Stoker.Tests.Git;
using Stoker.Tests.Sync;

namespace Stoker.Tests.AgentCli;

/// <summary>
/// Defect 1 of issue 11 through a real <c>stoker-agent sync</c> process: a repository whose tree has an entry named
/// <c>..</c> (as <c>git mktree</c> makes) or with a '/' in its name (as <c>git hash-object --literally</c> makes) must not
/// write outside the data directory. The sync fails with exit 1, the report names the entry and the commit, and the
/// folder around the data directory is unchanged (the data directory is not half-written either).
/// </summary>
public sealed class HostileRepositoryCommandTests : IDisposable
{
    private readonly SyncWorkspace _ws = new("agent-cli-hostile", "box", "data");

    public HostileRepositoryCommandTests()
    {
        _ws.Repo.WriteFile("services/gw/projects/Alpha/project.json", "{\"title\":\"Alpha\"}");
        _ws.Repo.Commit("initial");
        _ws.WriteResource(SyncWorkspace.ProjectsResource);
        Directory.CreateDirectory(_ws.Data);
    }

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("..", new[] { "..", "..", "pwned.txt" })]
    [InlineData("../../pwned.txt", new[] { "../../pwned.txt" })]
    public async Task Sync_TreeEntryEscapingTheDataDirectory_FailsNamingEntryAndCommitNothingWritten(string refused, string[] names)
    {
        var commit = HostileTree.Commit(_ws.Repo, "services/gw/projects", names, "pwned");
        var before = SyncHarness.Snapshot(_ws.Path, skip: "work");

        var run = await _ws.SyncAsync(_ws.Resource, "--repo", _ws.Repo.Path, "--gateway-name", "gw");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("Error", run.Report.GetProperty("status").GetString());
        var message = run.Report.GetProperty("errorMessage").GetString()!;
        Assert.Contains($"tree entry {System.Text.Json.JsonSerializer.Serialize(refused)}", message, StringComparison.Ordinal);
        Assert.Contains(commit, message, StringComparison.Ordinal);
        Assert.Equal(before, SyncHarness.Snapshot(_ws.Path, skip: "work"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_ws.Data));
    }
}
