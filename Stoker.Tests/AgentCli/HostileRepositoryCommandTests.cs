using Stoker.Tests.Git;
using Stoker.Tests.Infrastructure;
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
    private readonly TempDirectory _dir = new("agent-cli-hostile");
    private readonly GitRepository _repo;

    public HostileRepositoryCommandTests()
    {
        _repo = GitRepository.Create(_dir.Combine("repos", "site"));
        _repo.WriteFile("services/gw/projects/Alpha/project.json", "{\"title\":\"Alpha\"}");
        _repo.Commit("initial");
        File.WriteAllText(_dir.Combine("gs.yaml"), """
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
                    mappings:
                      - source: "services/gw/projects"
                        destination: "projects"
            """);
        Directory.CreateDirectory(Data);
    }

    private string Data => _dir.Combine("box", "data");

    public void Dispose()
    {
        _repo.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("..", new[] { "..", "..", "pwned.txt" })]
    [InlineData("../../pwned.txt", new[] { "../../pwned.txt" })]
    public async Task Sync_TreeEntryEscapingTheDataDirectory_FailsNamingEntryAndCommitNothingWritten(string refused, string[] names)
    {
        var commit = HostileTree.Commit(_repo, "services/gw/projects", names, "pwned");
        var before = SyncHarness.Snapshot(_dir.Path, skip: "work");

        var run = await AgentProcess.RunAsync("sync", "--resource", _dir.Combine("gs.yaml"), "--repo", _repo.Path, "--data", Data,
            "--work", _dir.Combine("work"), "--pod-name", "ignition-0", "--gateway-name", "gw");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("Error", run.Report.GetProperty("status").GetString());
        var message = run.Report.GetProperty("errorMessage").GetString()!;
        Assert.Contains($"tree entry {System.Text.Json.JsonSerializer.Serialize(refused)}", message, StringComparison.Ordinal);
        Assert.Contains(commit, message, StringComparison.Ordinal);
        Assert.Equal(before, SyncHarness.Snapshot(_dir.Path, skip: "work"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Data));
    }
}
