using Stoker.Sync.Git;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

/// <summary>
/// Defect 11 of issue 11: a local repository is read in place (objects/info/alternates) instead of fetched. Every ref
/// form resolves to the same commit as over smart HTTP, and a missing ref or an unreachable commit gives the same
/// error (the remote's address aside).
/// </summary>
public sealed class GitCheckoutLocalTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("checkout-local");
    private GitRepository _repo = null!;
    private SmartHttpGitServer _server = null!;
    private string _first = "";
    private string _unreachable = "";

    private string Url => _server.UrlFor("site");

    public async Task InitializeAsync()
    {
        _repo = GitRepository.Create(_dir.Combine("repos", "site"));
        _repo.WriteFile("a.txt", "1");
        _first = _repo.Commit("first");
        _repo.Tag("light");
        _repo.Tag("v1", "annotated");
        _repo.Branch("feature");
        _repo.WriteFile("a.txt", "2");
        _repo.Commit("second");
        _repo.Checkout("feature");
        _repo.WriteFile("b.txt", "feature");
        _repo.Commit("on feature");
        _repo.Checkout("main");
        // A commit no branch or tag reaches: in the object folder, never transferred by a fetch.
        _unreachable = _repo.Git("commit-tree", _repo.RevParse("HEAD^{tree}"), "-p", "HEAD", "-m", "dangling");
        _server = await SmartHttpGitServer.StartAsync(_dir.Combine("repos"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _repo.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string> Refs => new() { "main", "feature", "light", "v1", "refs/heads/feature", "refs/tags/v1" };

    [Theory]
    [MemberData(nameof(Refs))]
    public void Fetch_LocalPathAndFileUrl_SameCommitAsSmartHttp(string gitRef)
    {
        var overHttp = new GitCheckout(_dir.Combine("http-" + Guid.NewGuid().ToString("N")), Url).Fetch(gitRef);
        var byPath = new GitCheckout(_dir.Combine("path-" + Guid.NewGuid().ToString("N")), _repo.Path);
        var byUrl = new GitCheckout(_dir.Combine("url-" + Guid.NewGuid().ToString("N")), new Uri(_repo.Path).AbsoluteUri);

        Assert.Equal(_repo.RevParse(gitRef + "^{commit}"), overHttp);
        Assert.Equal(overHttp, byPath.Fetch(gitRef));
        Assert.Equal(overHttp, byUrl.Fetch(gitRef));
        Assert.Equal(overHttp, byUrl.Fetch(overHttp));
        using var tree = byPath.Open(overHttp);
        Assert.Equal(overHttp, tree.Commit);
    }

    [Fact]
    public void Fetch_CommitIdReachableFromATagOrBranch_Resolves()
    {
        var checkout = new GitCheckout(_dir.Combine("work"), _repo.Path);

        Assert.Equal(_first, checkout.Fetch(_first));
        Assert.Equal(_first, checkout.Fetch(_first.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("no-such-branch")]
    [InlineData("refs/heads/nope")]
    [InlineData("unreachable")]
    public void Fetch_MissingRefOrUnreachableCommit_SameErrorAsSmartHttp(string gitRef)
    {
        gitRef = gitRef == "unreachable" ? _unreachable : gitRef;

        var overHttp = Assert.Throws<GitCheckoutException>(() => new GitCheckout(_dir.Combine("http-" + Guid.NewGuid().ToString("N")), Url).Fetch(gitRef));
        var local = Assert.Throws<GitCheckoutException>(() => new GitCheckout(_dir.Combine("path-" + Guid.NewGuid().ToString("N")), _repo.Path).Fetch(gitRef));

        Assert.Equal(overHttp.Message.Replace(Url, "<remote>", StringComparison.Ordinal), local.Message.Replace(_repo.Path, "<remote>", StringComparison.Ordinal));
    }

    [Fact]
    public void Fetch_SameWorkFolderMovedBetweenLocalAndNetworkRemotes_EachResolvesAndReads()
    {
        var work = _dir.Combine("work-moving");
        var other = GitRepository.Create(_dir.Combine("repos", "other"));
        other.WriteFile("c.txt", "other");
        var otherHead = other.Commit("other");

        var local = new GitCheckout(work, _repo.Path).Fetch("main");
        var moved = new GitCheckout(work, other.Path).Fetch("main");
        var network = new GitCheckout(work, Url).Fetch("feature");
        var back = new GitCheckout(work, _repo.Path).Fetch("v1");

        Assert.Equal(_repo.RevParse("main"), local);
        Assert.Equal(otherHead, moved);
        Assert.Equal(_repo.RevParse("feature"), network);
        Assert.Equal(_first, back);
        using var tree = new GitCheckout(work, _repo.Path).Open(back);
        Assert.NotNull(tree.Find("a.txt"));
    }

    [Fact]
    public void Fetch_NotARepository_FailsNamingThePath()
    {
        var missing = _dir.Combine("no-such-repo");

        var error = Assert.Throws<GitCheckoutException>(() => new GitCheckout(_dir.Combine("work-missing"), missing).Fetch("main"));

        Assert.StartsWith($"git fetch {missing} main: ", error.Message, StringComparison.Ordinal);
    }
}
