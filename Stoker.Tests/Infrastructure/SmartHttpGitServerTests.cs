using System.Net.Sockets;

namespace Stoker.Tests.Infrastructure;

public sealed class SmartHttpGitServerTests
{
    [Fact]
    public async Task StartAsync_BareAndWorkingRepositories_ServesCloneAndPush()
    {
        using var root = new TempDirectory("http-root");
        using var site = GitRepository.Create(root.Combine("site"));
        site.WriteFile("a.txt", "hello");
        var commit = site.Commit("first");
        GitRepository.RunGit(root.Path, "init", "--quiet", "--bare", "--initial-branch=main", "empty.git");
        using var work = new TempDirectory("http-work");

        await using var server = await SmartHttpGitServer.StartAsync(root.Path);
        GitRepository.RunGit(work.Path, "clone", "--quiet", server.UrlFor("site"), "clone");
        using var clone = GitRepository.Create(work.Combine("clone"));
        Assert.Equal(commit, clone.Head());

        // Over http.postBuffer (1 MiB), git sends the pack chunked: the path that needs a non-streaming request body.
        clone.WriteBytes("big.bin", RandomBytes(1536 * 1024));
        var pushed = clone.Commit("big");
        clone.Git("push", "--quiet", server.UrlFor("empty.git"), "HEAD:refs/heads/main");
        clone.Git("push", "--quiet", "origin", "HEAD:refs/heads/other");

        Assert.Equal(pushed, GitRepository.RunGit(root.Combine("empty.git"), "rev-parse", "main"));
        Assert.Equal(pushed, site.RevParse("other"));
        Assert.Contains(pushed, GitRepository.RunGit(work.Path, "ls-remote", server.UrlFor("empty.git")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RequireBasicAuth_AcceptsOnlyTheRightPassword()
    {
        using var root = new TempDirectory("http-root");
        using var site = GitRepository.Create(root.Combine("site.git"));
        var commit = site.Commit("first");

        await using var server = await SmartHttpGitServer.StartAsync(root.Path, requireBasicAuth: ("user", "s3cret"));
        var good = server.UrlFor("site.git").Replace("http://", "http://user:s3cret@", StringComparison.Ordinal);
        var bad = server.UrlFor("site.git").Replace("http://", "http://user:wrong@", StringComparison.Ordinal);

        Assert.StartsWith(commit, GitRepository.RunGit(root.Path, "ls-remote", good, "refs/heads/main"), StringComparison.Ordinal);
        var error = Assert.Throws<InvalidOperationException>(() => GitRepository.RunGit(root.Path, "ls-remote", bad));
        Assert.Contains("Authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => GitRepository.RunGit(root.Path, "ls-remote", server.UrlFor("site.git")));
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_LeavesNoProcessAndClosesThePort()
    {
        using var root = new TempDirectory("http-root");
        var server = await SmartHttpGitServer.StartAsync(root.Path);
        var pid = server.ProcessId;
        var port = new Uri(server.BaseUrl).Port;
        Assert.True(Directory.Exists($"/proc/{pid}"));

        await server.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{pid}"));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
