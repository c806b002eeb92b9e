using Stoker.Grains.Interfaces.Git;
using Stoker.Sync.Git;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

/// <summary>The one credentials type of the silo's ls-remote and the agent's fetch, and how the agent reads its token file.</summary>
public sealed class GitCredentialsTests : IDisposable
{
    private readonly TempDirectory _temp = new("git-credentials");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Token_SentAsThePasswordOfTheTokenUser()
    {
        var credentials = GitCredentials.Token("s3cret-token");

        Assert.Equal(GitCredentials.TokenUsername, credentials.EffectiveUsername);
        Assert.Equal("s3cret-token", credentials.Password);
    }

    [Fact]
    public void EffectiveUsername_PasswordAlone_IsTheTokenUser()
    {
        Assert.Equal("x-access-token", new GitCredentials { Password = "p" }.EffectiveUsername);
        Assert.Equal("deploy", new GitCredentials { Username = "deploy", Password = "p" }.EffectiveUsername);
    }

    [Fact]
    public void ToStringAndRedact_NeverShowThePassword()
    {
        var credentials = new GitCredentials { Username = "deploy", Password = "s3cret-token", KnownHostsPath = "/etc/known_hosts" };

        Assert.DoesNotContain("s3cret-token", credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains("deploy", credentials.ToString(), StringComparison.Ordinal);
        Assert.Equal("fetch failed: <redacted> refused", credentials.Redact("fetch failed: s3cret-token refused"));
        Assert.Equal("fetch failed: *** refused", credentials.Redact("fetch failed: s3cret-token refused", "***"));
        Assert.Equal("no password here", new GitCredentials { SshPrivateKeyPath = "/k" }.Redact("no password here"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Token_Blank_IsRefused(string token)
    {
        Assert.ThrowsAny<ArgumentException>(() => GitCredentials.Token(token));
    }

    [Fact]
    public void GitTokenFile_TokenWithNewline_IsTrimmed()
    {
        var path = _temp.Combine("token");
        File.WriteAllText(path, "  s3cret-token\n");

        Assert.Equal(GitCredentials.Token("s3cret-token"), GitTokenFile.Read(path));
    }

    [Fact]
    public void GitTokenFile_Missing_IsAnErrorNamingThePath()
    {
        var path = _temp.Combine("absent");

        var error = Assert.Throws<GitCheckoutException>(() => GitTokenFile.Read(path));

        Assert.StartsWith($"reading token file {path}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GitTokenFile_Empty_IsAnErrorNotAnonymousAccess()
    {
        var path = _temp.Combine("empty");
        File.WriteAllText(path, "\n \n");

        var error = Assert.Throws<GitCheckoutException>(() => GitTokenFile.Read(path));

        Assert.Equal($"reading token file {path}: the file is empty", error.Message);
    }
}
