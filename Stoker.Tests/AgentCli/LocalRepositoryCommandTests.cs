namespace Stoker.Tests.AgentCli;

/// <summary>
/// Defect 11 of issue 11: a repository on this machine (a path or a <c>file://</c> URL) is read in place, through an
/// <c>objects/info/alternates</c> entry, instead of libgit2's local transport building a pack of everything into the
/// agent's work folder. Observable: after a first sync and a new commit, the agent's copy holds no pack file and no
/// loose object of its own, and its alternates entry names the source's object folder. Times are not asserted.
/// </summary>
public sealed class LocalRepositoryCommandTests : IDisposable
{
    private readonly SyncWorkspace _ws = new("agent-cli-local");

    public LocalRepositoryCommandTests()
    {
        for (var i = 0; i < 50; i++)
        {
            _ws.Repo.WriteFile($"services/gw/projects/P{i % 5}/view{i}.json", $"{{\"i\":{i}}}");
        }

        _ws.Repo.Commit("initial");
        // Packed, as a pushed-to repository usually is: libgit2 would otherwise copy what it finds.
        _ws.Repo.Git("gc", "--quiet");
        _ws.WriteResource(SyncWorkspace.ProjectsResource);
    }

    public void Dispose() => _ws.Dispose();

    public static TheoryData<string> Remotes => new() { "path", "file-url" };

    [Theory]
    [MemberData(nameof(Remotes))]
    public async Task Sync_LocalRepository_ReadsSourceObjectsInPlaceNoPackFetched(string remoteKind)
    {
        var remote = remoteKind == "path" ? _ws.Repo.Path : new Uri(_ws.Repo.Path).AbsoluteUri;
        var first = await Sync(remote);
        _ws.Repo.WriteFile("services/gw/projects/P1/view1.json", "{\"i\":\"changed\"}");
        var second = _ws.Repo.Commit("change one file");
        var next = await Sync(remote);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(second, next.Report.GetProperty("commit").GetString());
        Assert.Equal(["projects/P1/view1.json"], next.Report.GetProperty("modified").EnumerateArray().Select(e => e.GetString()));
        Assert.True(next.Report.GetProperty("incremental").GetBoolean());
        Assert.Equal("{\"i\":\"changed\"}", File.ReadAllText(_ws.Combine("data", "projects", "P1", "view1.json")));

        var objects = _ws.Combine("work", "repo.git", "objects");
        Assert.Empty(Directory.EnumerateFiles(Path.Join(objects, "pack")));
        Assert.Empty(Directory.EnumerateDirectories(objects).Where(d => Path.GetFileName(d).Length == 2).SelectMany(Directory.EnumerateFiles));
        Assert.Equal(Path.Join(_ws.Repo.Path, ".git", "objects"), File.ReadAllText(Path.Join(objects, "info", "alternates")).Trim());
    }

    private Task<AgentRun> Sync(string remote) => _ws.SyncAsync(_ws.Resource, "--repo", remote, "--gateway-name", "gw");
}
