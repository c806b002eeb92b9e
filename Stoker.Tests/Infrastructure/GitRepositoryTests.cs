namespace Stoker.Tests.Infrastructure;

public sealed class GitRepositoryTests
{
    [Fact]
    public void Commit_FilesTagsAndBranches_AreVisibleToGit()
    {
        using var repo = GitRepository.Create();
        repo.WriteFile("config/a.json", "{}");
        repo.Symlink("link", "config/a.json");
        var first = repo.Commit("first");
        repo.Tag("v1", annotatedMessage: "release v1");
        repo.Tag("light");
        repo.Branch("feature");
        repo.Delete("config");
        var second = repo.Commit("second");

        Assert.Matches("^[0-9a-f]{40}$", first);
        Assert.Equal(second, repo.Head());
        Assert.NotEqual(first, repo.RevParse("v1"));
        Assert.Equal(first, repo.RevParse("v1^{commit}"));
        Assert.Equal(first, repo.RevParse("light"));
        Assert.Equal(first, repo.RevParse("feature"));
        Assert.Equal("120000", repo.Git("ls-tree", first, "link").Split(' ')[0]);
        Assert.Equal("main", repo.Git("branch", "--show-current"));

        repo.Checkout("feature");
        Assert.True(File.Exists(Path.Combine(repo.Path, "config", "a.json")));
    }

    [Fact]
    public void Commit_SameContentInTwoRepositories_GivesTheSameSha()
    {
        using var a = GitRepository.Create();
        using var b = GitRepository.Create(initialBranch: "trunk");
        a.WriteBytes("f.bin", [1, 2, 3]);
        b.WriteBytes("f.bin", [1, 2, 3]);

        Assert.Equal(a.Commit("same"), b.Commit("same"));
        Assert.NotEqual(a.Head(), a.Commit("same"));
    }

    [Fact]
    public void Git_FailingCommand_ThrowsWithStderr()
    {
        using var repo = GitRepository.Create();

        var error = Assert.Throws<InvalidOperationException>(() => repo.RevParse("no-such-ref"));

        Assert.Contains("rev-parse", error.Message, StringComparison.Ordinal);
        Assert.Contains("fatal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_OwnedRepository_RemovesTheFolder()
    {
        var repo = GitRepository.Create();
        repo.WriteFile("a.txt", "a");
        repo.Commit("a");

        repo.Dispose();

        Assert.False(Directory.Exists(repo.Path));
    }
}
