using Stoker.Grains.Git;

namespace Stoker.Tests.Git;

public sealed class RefMatcherTests
{
    private const string TagObject = "1111111111111111111111111111111111111111";
    private const string CommitA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string CommitB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string CommitC = "cccccccccccccccccccccccccccccccccccccccc";

    private static KeyValuePair<string, string>[] Advertisement(params (string Name, string Target)[] refs) =>
        refs.Select(r => KeyValuePair.Create(r.Name, r.Target)).ToArray();

    [Fact]
    public void Match_AnnotatedTag_ReturnsPeeledCommitNotTagObject()
    {
        var refs = Advertisement(("refs/tags/2.2.3", TagObject), ("refs/tags/2.2.3^{}", CommitC));

        Assert.Equal(CommitC, RefMatcher.Match("2.2.3", refs));
    }

    [Fact]
    public void Match_LightweightTag_ReturnsItsCommit() =>
        Assert.Equal(CommitC, RefMatcher.Match("v1.0", Advertisement(("refs/tags/v1.0", CommitC))));

    [Fact]
    public void Match_Branch_ReturnsItsCommit() =>
        Assert.Equal(CommitC, RefMatcher.Match("main", Advertisement(("refs/heads/main", CommitC))));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567")]
    public void Match_FullShaAgainstEmptyAdvertisement_ReturnsItLowerCased(string sha) =>
        Assert.Equal(sha.ToLowerInvariant(), RefMatcher.Match(sha, []));

    [Fact]
    public void Match_TagAndBranchWithTheSameName_TagWins()
    {
        var refs = Advertisement(("refs/heads/v1.0", CommitB), ("refs/tags/v1.0", CommitA));

        Assert.Equal(CommitA, RefMatcher.Match("v1.0", refs));
    }

    [Fact]
    public void Match_PeeledEntryOfAnyCandidate_BeatsPlainEntries()
    {
        // refs/heads/x has no peeled form, but the rule is "all peeled first": an annotated tag x wins regardless of order.
        var refs = Advertisement(("refs/heads/x", CommitB), ("refs/tags/x", TagObject), ("refs/tags/x^{}", CommitA));

        Assert.Equal(CommitA, RefMatcher.Match("x", refs));
    }

    [Fact]
    public void Match_UnknownRef_ReturnsNull() =>
        Assert.Null(RefMatcher.Match("nonexistent", Advertisement(("refs/heads/main", CommitA))));

    [Theory]
    [InlineData("refs/heads/v1.0", CommitB)]
    [InlineData("refs/tags/v1.0", CommitA)]
    [InlineData("refs/tags/annotated", CommitC)]
    public void Match_FullyQualifiedRef_IsLookedUpAsGiven(string requested, string expected)
    {
        var refs = Advertisement(
            ("refs/heads/v1.0", CommitB), ("refs/tags/v1.0", CommitA),
            ("refs/tags/annotated", TagObject), ("refs/tags/annotated^{}", CommitC));

        Assert.Equal(expected, RefMatcher.Match(requested, refs));
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("aaaaaaa")]
    [InlineData("refs/remotes/origin/main")]
    [InlineData("heads/main")]
    public void Match_HeadShortShaOrOtherNamespaces_DoNotResolve(string requested)
    {
        var refs = Advertisement(("HEAD", CommitA), ("refs/heads/main", CommitA), ("refs/remotes/origin/main", CommitA));

        Assert.Null(RefMatcher.Match(requested, refs));
    }

    [Fact]
    public void Match_UpperCaseShaInAdvertisement_IsReturnedLowerCase() =>
        Assert.Equal(CommitA, RefMatcher.Match("main", Advertisement(("refs/heads/main", CommitA.ToUpperInvariant()))));
}
