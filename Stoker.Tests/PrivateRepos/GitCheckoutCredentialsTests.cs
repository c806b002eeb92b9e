using LibGit2Sharp;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Sync.Git;
using Stoker.Tests.Git;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>The agent's fetch with credentials given per call: a token over smart HTTP with basic auth, a key over SSH.</summary>
public sealed class GitCheckoutCredentialsTests(SshRefResolverFixture ssh) : IClassFixture<SshRefResolverFixture>
{
    private static GitFetchCredentials Token(string token) => new() { AuthType = GitFetchCredentials.TokenType, Password = token };

    private GitFetchCredentials Key(string? knownHostsPath, string? keyPath = null) => new()
    {
        AuthType = GitFetchCredentials.SshType,
        SshPrivateKey = File.ReadAllText(keyPath ?? ssh.Server.ClientKeyPath),
        KnownHosts = knownHostsPath is null ? null : File.ReadAllText(knownHostsPath),
    };

    [Fact]
    public async Task Fetch_TokenRotatedBetweenFetches_SameCheckoutUsesTheNewOneAndRefusesTheOld()
    {
        using var temp = new TempDirectory("checkout-token");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        repo.WriteFile("a.txt", "a");
        var first = repo.Commit("first");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "T1-checkout"));
        var checkout = new GitCheckout(temp.Combine("work"), git.UrlFor("site"));

        Assert.Equal(first, checkout.Fetch("main", Token("T1-checkout")));

        git.ReplaceBasicAuth("x-access-token", "T2-checkout");
        repo.WriteFile("b.txt", "b");
        var second = repo.Commit("second");
        var refused = Assert.Throws<GitCheckoutException>(() => checkout.Fetch("main", Token("T1-checkout")));
        Assert.Equal($"authentication failed for {git.UrlFor("site")}: the remote rejected the credentials", refused.Message);
        Assert.Equal(second, checkout.Fetch("main", Token("T2-checkout")));
    }

    [Fact]
    public async Task Fetch_WrongOrNoToken_ClearErrorWithoutTheSecret()
    {
        using var temp = new TempDirectory("checkout-wrong");
        var repo = GitRepository.Create(temp.Combine("repos", "site"));
        repo.WriteFile("a.txt", "a");
        repo.Commit("first");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", "right-secret"));

        var wrong = Assert.Throws<GitCheckoutException>(() => new GitCheckout(temp.Combine("w1"), git.UrlFor("site")).Fetch("main", Token("wrong-secret-value")));
        var none = Assert.Throws<GitCheckoutException>(() => new GitCheckout(temp.Combine("w2"), git.UrlFor("site")).Fetch("main"));
        var byId = Assert.Throws<GitCheckoutException>(() => new GitCheckout(temp.Combine("w3"), git.UrlFor("site")).Fetch(repo.Head(), Token("wrong-secret-value")));

        Assert.Equal($"authentication failed for {git.UrlFor("site")}: the remote rejected the credentials", wrong.Message);
        Assert.Equal($"authentication failed for {git.UrlFor("site")}: the remote asked for credentials and none are configured", none.Message);
        Assert.StartsWith("authentication failed for", byId.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value", wrong.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_SshWithRightKnownHosts_FetchesAndLeavesNoSshCommandBehind()
    {
        using var temp = new TempDirectory("checkout-ssh");
        var checkout = new GitCheckout(temp.Combine("work"), ssh.Url);

        Assert.Equal(ssh.Main, checkout.Fetch("main", Key(ssh.Server.KnownHostsPath)));
        Assert.Equal(ssh.Main, checkout.Fetch("v2", Key(ssh.Server.KnownHostsPath)));

        // The wrapper (script and key) is gone after the fetch: the copy must not name it any more.
        using var repository = new Repository(checkout.RepositoryPath);
        Assert.Null(repository.Config.Get<string>("core.sshCommand"));
    }

    [Fact]
    public void Fetch_SshWithoutKnownHosts_AcceptsAnyHostKey()
    {
        using var temp = new TempDirectory("checkout-ssh-nokh");

        Assert.Equal(ssh.Main, new GitCheckout(temp.Combine("work"), ssh.Url).Fetch("main", Key(knownHostsPath: null)));
    }

    [Fact]
    public void Fetch_SshWrongHostKey_RefusedSayingHostKeyVerificationFailed()
    {
        using var temp = new TempDirectory("checkout-ssh-badkh");

        var error = Assert.Throws<GitCheckoutException>(() => new GitCheckout(temp.Combine("work"), ssh.Url).Fetch("main", Key(ssh.Server.WrongKnownHostsPath)));

        Assert.StartsWith($"host key verification failed for {GitCheckout.Redact(ssh.Url)}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host key verification failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_SshKeyTheServerDoesNotKnow_AuthenticationFailedWithSshReason()
    {
        using var temp = new TempDirectory("checkout-ssh-badkey");

        var error = Assert.Throws<GitCheckoutException>(() =>
            new GitCheckout(temp.Combine("work"), ssh.Url).Fetch("main", Key(ssh.Server.KnownHostsPath, ssh.Server.UnknownClientKeyPath)));

        Assert.StartsWith($"authentication failed for {GitCheckout.Redact(ssh.Url)}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", error.Message, StringComparison.Ordinal);
    }
}
