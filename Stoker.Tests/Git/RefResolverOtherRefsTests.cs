using Stoker.Grains.Git;

namespace Stoker.Tests.Git;

/// <summary>Per-gateway ref overrides are looked up in the listing that resolves <c>spec.git.ref</c>.</summary>
public sealed class RefResolverOtherRefsTests(RefResolverFixture fixture) : IClassFixture<RefResolverFixture>
{
    [Theory]
    [InlineData("local")]
    [InlineData("http")]
    public async Task Other_refs_come_back_from_the_same_listing_and_a_missing_one_is_null_not_a_failure(string transport)
    {
        var resolution = await new LibGit2RefResolver().ResolveAsync(
            new RefResolveRequest(fixture.UrlFor(transport), "main", null) { OtherRefs = ["feature", "light", "no-such-branch"] }, CancellationToken.None);

        Assert.Equal(fixture.CommitC, resolution.Commit);
        Assert.Equal(fixture.CommitB, resolution.Others["feature"]);
        Assert.Equal(fixture.CommitB, resolution.Others["light"]);
        Assert.Null(resolution.Others["no-such-branch"]);
        Assert.Equal(3, resolution.Others.Count);
    }
}
