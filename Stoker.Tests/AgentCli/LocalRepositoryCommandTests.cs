using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentCli;

/// <summary>
/// Defect 11 of issue 11: a repository on this machine (a path or a <c>file://</c> URL) is read in place, through an
/// <c>objects/info/alternates</c> entry, instead of libgit2's local transport building a pack of everything into the
/// agent's work folder. Observable: after a first sync and a new commit, the agent's copy holds no pack file and no
/// loose object of its own, and its alternates entry names the source's object folder. Times are not asserted.
/// </summary>
public sealed class LocalRepositoryCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("agent-cli-local");
    private readonly GitRepository _repo;

    public LocalRepositoryCommandTests()
    {
        _repo = GitRepository.Create(_dir.Combine("repos", "site"));
        for (var i = 0; i < 50; i++)
        {
            _repo.WriteFile($"services/gw/projects/P{i % 5}/view{i}.json", $"{{\"i\":{i}}}");
        }

        _repo.Commit("initial");
        // Packed, as a pushed-to repository usually is: libgit2 would otherwise copy what it finds.
        _repo.Git("gc", "--quiet");
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
    }

    public void Dispose()
    {
        _repo.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string> Remotes => new() { "path", "file-url" };

    [Theory]
    [MemberData(nameof(Remotes))]
    public async Task Sync_LocalRepository_ReadsSourceObjectsInPlaceNoPackFetched(string remoteKind)
    {
        var remote = remoteKind == "path" ? _repo.Path : new Uri(_repo.Path).AbsoluteUri;
        var first = await Sync(remote);
        _repo.WriteFile("services/gw/projects/P1/view1.json", "{\"i\":\"changed\"}");
        var second = _repo.Commit("change one file");
        var next = await Sync(remote);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(second, next.Report.GetProperty("commit").GetString());
        Assert.Equal(["projects/P1/view1.json"], next.Report.GetProperty("modified").EnumerateArray().Select(e => e.GetString()));
        Assert.True(next.Report.GetProperty("incremental").GetBoolean());
        Assert.Equal("{\"i\":\"changed\"}", File.ReadAllText(_dir.Combine("data", "projects", "P1", "view1.json")));

        var objects = _dir.Combine("work", "repo.git", "objects");
        Assert.Empty(Directory.EnumerateFiles(Path.Join(objects, "pack")));
        Assert.Empty(Directory.EnumerateDirectories(objects).Where(d => Path.GetFileName(d).Length == 2).SelectMany(Directory.EnumerateFiles));
        Assert.Equal(Path.Join(_repo.Path, ".git", "objects"), File.ReadAllText(Path.Join(objects, "info", "alternates")).Trim());
    }

    private Task<AgentRun> Sync(string remote) => AgentProcess.RunAsync("sync", "--resource", _dir.Combine("gs.yaml"), "--repo", remote,
        "--data", _dir.Combine("data"), "--work", _dir.Combine("work"), "--pod-name", "ignition-0", "--gateway-name", "gw");
}
