using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Git;

namespace Stoker.Tests.Git;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("https://user:s3cret@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("https://ghp_token@github.com/org/repo.git", "https://***@github.com/org/repo.git")]
    [InlineData("http://x-access-token:p@ss@127.0.0.1:8080/git/a.git", "http://***@127.0.0.1:8080/git/a.git")]
    [InlineData("ssh://git@github.com/org/repo.git", "ssh://git@github.com/org/repo.git")]
    [InlineData("ssh://git:pw@github.com/org/repo.git", "ssh://***@github.com/org/repo.git")]
    [InlineData("https://github.com/org/repo.git", "https://github.com/org/repo.git")]
    [InlineData("git@github.com:org/repo.git", "git@github.com:org/repo.git")]
    [InlineData("/srv/git/repo", "/srv/git/repo")]
    [InlineData("", "")]
    public void Redact_Url_HidesUserInfoExceptABareSshUser(string url, string expected) =>
        Assert.Equal(expected, UrlRedactor.Redact(url));

    [Fact]
    public void Redact_TextWithSeveralUrls_HidesEachPassword()
    {
        var text = "cloning https://a:one@h1/x failed, retried http://b:two@h2:81/y?q=1 then gave up";

        var redacted = UrlRedactor.Redact(text);

        Assert.Equal("cloning https://***@h1/x failed, retried http://***@h2:81/y?q=1 then gave up", redacted);
    }

    [Fact]
    public void ToString_CredentialsAndRequest_NeverShowThePassword()
    {
        var credentials = GitCredentials.Token("tok3n-value");
        var request = new RefResolveRequest("https://user:url-secret@example.com/r.git", "main", credentials);

        var text = request.ToString();

        Assert.DoesNotContain("tok3n-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("url-secret", text, StringComparison.Ordinal);
        Assert.Contains("x-access-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok3n-value", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tok3n-value", $"{credentials}", StringComparison.Ordinal);
    }
}
