using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Git;

namespace Stoker.Tests.AgentRuntime;

/// <summary>
/// Defect 1 of issue 11 through <c>stoker-agent run</c>: a real silo, a real agent process and a pushed commit whose
/// tree has an entry named <c>..</c>. The agent reports Error naming the entry and the commit, writes nothing outside
/// its data directory, and leaves the files of the last good commit in place.
/// </summary>
public sealed class AgentHostileRepositoryTests : IAsyncLifetime
{
    private AgentTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AgentTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Run_PushedCommitWithDotDotEntry_ReportsErrorNamingEntryAndCommitNothingWrittenOutside()
    {
        await _bed.ApplyAsync();
        var agent = _bed.StartAgent("gw-1");
        await _bed.WaitForReportAsync("gw-1", _bed.Repo.Head(), SyncStatus.Synced, agent, seconds: 60);
        var before = Sync.SyncHarness.Snapshot(agent.DataPath);

        // projects/../../pwned.txt: the data directory's parent, which is the test bed's own folder.
        var hostile = HostileTree.Commit(_bed.Repo, "projects", ["..", "..", "pwned.txt"], "pwned");
        await _bed.Host.GatewaySync(AgentTestBed.Namespace, AgentTestBed.CrName)
            .RequestRef(new() { Ref = "main", Commit = hostile, Source = "github", RequestedAt = DateTimeOffset.UnixEpoch });

        var failed = await _bed.WaitForGatewayAsync("gw-1", s => s.LastReport is { SyncStatus: SyncStatus.Error, ErrorMessage: { } m } && m.Contains(hostile, StringComparison.Ordinal),
            "an Error report for the hostile commit", agent, seconds: 60);
        Assert.Contains("tree entry \"..\" in tree \"projects\"", failed.LastReport!.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_bed.Temp.Path, "pwned.txt", SearchOption.AllDirectories));
        Assert.Equal(before, Sync.SyncHarness.Snapshot(agent.DataPath));
    }
}
