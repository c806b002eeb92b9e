using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Git;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

public sealed class LibGit2RefResolverTests(RefResolverFixture fixture) : IClassFixture<RefResolverFixture>
{
    private readonly LibGit2RefResolver _resolver = new();

    public static TheoryData<string> Transports => new() { "local", "file", "http" };

    private Task<RefResolution> Resolve(string url, string @ref, GitCredentials? credentials = null) =>
        _resolver.ResolveAsync(new RefResolveRequest(url, @ref, credentials), CancellationToken.None);

    private async Task<string> ResolveFails(string url, string @ref, GitCredentials? credentials = null) =>
        (await Assert.ThrowsAsync<RefResolutionException>(() => Resolve(url, @ref, credentials))).Message;

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_Branch_ReturnsItsCommitAndTheRequestedRef(string transport)
    {
        var resolution = await Resolve(fixture.UrlFor(transport), "feature");

        Assert.Equal(new RefResolution(fixture.CommitB, "feature"), resolution);
        Assert.Equal(fixture.CommitC, (await Resolve(fixture.UrlFor(transport), "main")).Commit);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_LightweightTag_ReturnsItsCommit(string transport) =>
        Assert.Equal(fixture.CommitB, (await Resolve(fixture.UrlFor(transport), "light")).Commit);

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_AnnotatedTag_ReturnsTheCommitNotTheTagObject(string transport)
    {
        var resolution = await Resolve(fixture.UrlFor(transport), "2.2.3");

        Assert.Equal(fixture.CommitC, resolution.Commit);
        Assert.NotEqual(fixture.AnnotatedTagObject, resolution.Commit);
        Assert.Equal("2.2.3", resolution.Ref);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_TagAndBranchWithTheSameName_TagWins(string transport)
    {
        Assert.Equal(fixture.CommitA, (await Resolve(fixture.UrlFor(transport), "v1.0")).Commit);
        Assert.Equal(fixture.CommitC, (await Resolve(fixture.UrlFor(transport), "2.2.3")).Commit);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_FullyQualifiedRefs_AreLookedUpAsGiven(string transport)
    {
        var url = fixture.UrlFor(transport);

        Assert.Equal(new RefResolution(fixture.CommitB, "refs/heads/v1.0"), await Resolve(url, "refs/heads/v1.0"));
        Assert.Equal(fixture.CommitA, (await Resolve(url, "refs/tags/v1.0")).Commit);
        Assert.Equal(fixture.CommitC, (await Resolve(url, "refs/tags/2.2.3")).Commit);
        Assert.Equal(fixture.CommitB, (await Resolve(url, "refs/heads/2.2.3")).Commit);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_FullSha_IsReturnedAsIsInLowerCase(string transport)
    {
        var url = fixture.UrlFor(transport);
        var upper = fixture.CommitA.ToUpperInvariant();

        Assert.Equal(new RefResolution(fixture.CommitA, fixture.CommitA), await Resolve(url, fixture.CommitA));
        Assert.Equal(new RefResolution(fixture.CommitA, upper), await Resolve(url, upper));
        // Not advertised, and not even in the repository: a SHA is trusted, only the remote is checked.
        Assert.Equal(new string('0', 40), (await Resolve(url, new string('0', 40))).Commit);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ResolveAsync_UnknownRef_FailsWithTheExactMessage(string transport)
    {
        var url = fixture.UrlFor(transport);

        Assert.Equal($"ref \"nonexistent-branch\" not found in remote {url}", await ResolveFails(url, "nonexistent-branch"));
        Assert.Equal($"ref \"HEAD\" not found in remote {url}", await ResolveFails(url, "HEAD"));
        Assert.Equal($"ref \"{fixture.CommitA[..7]}\" not found in remote {url}", await ResolveFails(url, fixture.CommitA[..7]));
    }

    [Fact]
    public async Task ResolveAsync_UnreachableHttpUrl_FailsWithLsRemoteMessage()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/git/site";

        var message = await ResolveFails(url, "main");

        Assert.StartsWith($"ls-remote {url}: ", message, StringComparison.Ordinal);
        Assert.Contains("failed to connect", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_ShaAgainstUnreachableRemote_FailsWithTheTransportError()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/git/site";

        var message = await ResolveFails(url, fixture.CommitA);

        Assert.StartsWith($"ls-remote {url}: failed to connect", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MissingRepositoryOverHttp_FailsWithLsRemoteMessage()
    {
        var url = fixture.Http.UrlFor("no-such-repo.git");

        var message = await ResolveFails(url, "main");

        Assert.StartsWith($"ls-remote {url}: ", message, StringComparison.Ordinal);
        Assert.Contains("404", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MissingLocalPath_FailsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "stoker-tests", "does-not-exist-" + Guid.NewGuid().ToString("N"));

        Assert.Equal($"ls-remote {path}: no repository at this local path (it does not exist)", await ResolveFails(path, "main"));
    }

    [Fact]
    public async Task ResolveAsync_MissingFileUrl_FailsWithLsRemoteMessage()
    {
        var url = "file:///nonexistent/stoker/" + Guid.NewGuid().ToString("N");

        Assert.StartsWith($"ls-remote {url}: ", await ResolveFails(url, "main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_LocalFolderThatIsNoRepository_FailsWithLsRemoteMessage()
    {
        using var folder = new TempDirectory("not-a-repo");

        var message = await ResolveFails(folder.Path, "main");

        Assert.StartsWith($"ls-remote {folder.Path}: could not find repository", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_TokenCredentials_ReachTheServer()
    {
        var url = fixture.AuthHttp.UrlFor("site");

        Assert.Equal(fixture.CommitB, (await Resolve(url, "feature", GitCredentials.Token(RefResolverFixture.Token))).Commit);
        // Only a password: the user is x-access-token.
        Assert.Equal(fixture.CommitB, (await Resolve(url, "feature", new GitCredentials { Password = RefResolverFixture.Token })).Commit);
        Assert.Equal(fixture.CommitA, (await Resolve(url, "v1.0", new GitCredentials { Username = RefResolverFixture.TokenUser, Password = RefResolverFixture.Token })).Commit);
    }

    [Fact]
    public async Task ResolveAsync_WrongToken_FailsSayingTheCredentialsWereRejected()
    {
        var url = fixture.AuthHttp.UrlFor("site");

        var message = await ResolveFails(url, "main", GitCredentials.Token("wrong-token"));

        Assert.Equal($"ls-remote {url}: authentication failed: the remote rejected the credentials", message);
    }

    [Fact]
    public async Task ResolveAsync_NoCredentialsForProtectedRemote_FailsSayingNoneAreConfigured()
    {
        var url = fixture.AuthHttp.UrlFor("site");

        var message = await ResolveFails(url, "main");

        Assert.Equal($"ls-remote {url}: authentication required: the remote asked for credentials and none are configured", message);
    }

    [Fact]
    public async Task ResolveAsync_CredentialsInTheUrl_AreUsedButNeverShown()
    {
        var good = fixture.AuthHttp.UrlFor("site").Replace("http://", $"http://{RefResolverFixture.TokenUser}:{RefResolverFixture.Token}@", StringComparison.Ordinal);
        var bad = fixture.AuthHttp.UrlFor("site").Replace("http://", "http://x-access-token:leaky-pass@", StringComparison.Ordinal);

        Assert.Equal(fixture.CommitC, (await Resolve(good, "main")).Commit);
        var rejected = await ResolveFails(bad, "main");
        var notFound = await ResolveFails(good, "nonexistent");

        Assert.Equal($"ls-remote {fixture.AuthHttp.UrlFor("site").Replace("http://", "http://***@", StringComparison.Ordinal)}: authentication failed: the remote rejected the credentials", rejected);
        Assert.DoesNotContain("leaky-pass", rejected, StringComparison.Ordinal);
        Assert.DoesNotContain(RefResolverFixture.Token, notFound, StringComparison.Ordinal);
        Assert.Contains("***@127.0.0.1", notFound, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_UnreachableUrlWithCredentials_MessageHasNoSecret()
    {
        var url = $"https://user:very-secret@127.0.0.1:{FreePort.Next()}/org/repo.git";

        var message = await ResolveFails(url, "main", GitCredentials.Token("another-secret"));

        Assert.DoesNotContain("very-secret", message, StringComparison.Ordinal);
        Assert.DoesNotContain("another-secret", message, StringComparison.Ordinal);
        Assert.StartsWith("ls-remote https://***@127.0.0.1:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_RemoteNeverAnswers_TimesOutAfter30Seconds()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await blackHole.AcceptSocketAsync());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // listener stopped
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}/git/site";
        var clock = new FakeTimeProvider();
        var resolver = new LibGit2RefResolver(clock);

        try
        {
            var resolving = resolver.ResolveAsync(new RefResolveRequest(url, "main", null), CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(29));
            Assert.False(resolving.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(1));

            var error = await Assert.ThrowsAsync<RefResolutionException>(() => resolving);
            Assert.Equal($"ls-remote {url}: timed out after 30s", error.Message);
        }
        finally
        {
            // Closing the sockets lets the abandoned libgit2 call fail and finish.
            blackHole.Stop();
            await accepting;
            accepted.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task ResolveAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _resolver.ResolveAsync(new RefResolveRequest(fixture.UrlFor("local"), "main", null), cancel.Token));
    }

    [Theory]
    [InlineData("", "main", "repository URL \"\": must not be empty")]
    [InlineData("  ", "main", "repository URL \"  \": must not be empty")]
    [InlineData("/srv/repo", "", "ref \"\": must not be empty (a branch, tag or 40-hex commit SHA)")]
    public async Task ResolveAsync_EmptyUrlOrRef_FailsNamingTheField(string url, string @ref, string expected) =>
        Assert.Equal(expected, await ResolveFails(url, @ref));
}
