using Stoker.Git;

namespace Stoker.Tests.Git;

public sealed class SshUrlTests
{
    [Theory]
    [InlineData("ssh://git@github.com/org/repo.git", true)]
    [InlineData("SSH://git@github.com:2222/org/repo.git", true)]
    [InlineData("git+ssh://git@host/repo", true)]
    [InlineData("git@github.com:org/repo.git", true)]
    [InlineData("host:repo", true)]
    [InlineData("https://github.com/org/repo.git", false)]
    [InlineData("git://host/repo", false)]
    [InlineData("file:///srv/repo", false)]
    [InlineData("/srv/git/repo:with-colon", false)]
    [InlineData("./relative/path", false)]
    public void IsSsh_Url_RecognisesSshAndScpLikeForms(string url, bool expected) =>
        Assert.Equal(expected, SshUrl.IsSsh(url));
}
