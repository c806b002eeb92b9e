using Microsoft.Extensions.Time.Testing;
using Stoker.Silo.Kubernetes.Identity;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>The verified-token cache is bounded and forgets entries at their deadline; JWT expiry is read defensively.</summary>
public sealed class VerifiedIdentityCacheTests
{
    private static readonly VerifiedIdentity Pod = new("plant", "gateway", "ignition-0", "uid-1", "plant/site/ignition-0");

    [Fact]
    public void Add_WhenFull_KeepsNoMoreUntilEntriesExpire()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cache = new VerifiedIdentityCache(clock, capacity: 2);
        cache.Add("a", Pod, clock.GetUtcNow().AddMinutes(1));
        cache.Add("b", Pod, clock.GetUtcNow().AddMinutes(5));
        cache.Add("c", Pod, clock.GetUtcNow().AddMinutes(5));
        Assert.Equal(2, cache.Count);
        Assert.Null(cache.Get("c"));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(cache.Get("a"));
        cache.Add("c", Pod, clock.GetUtcNow().AddMinutes(5));
        Assert.Equal(Pod, cache.Get("c"));
        Assert.Equal(Pod, cache.Get("b"));
    }

    [Fact]
    public void Add_CapacityZeroOrDeadlinePassed_KeepsNothing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        new VerifiedIdentityCache(clock, 0).Add("a", Pod, clock.GetUtcNow().AddMinutes(1));
        var cache = new VerifiedIdentityCache(clock, 10);
        cache.Add("a", Pod, clock.GetUtcNow());
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("a.W10.c")]
    [InlineData("a.eyJleHAiOiJzb29uIn0.c")]
    [InlineData("a.eyJleHAiOi0xfQ.c")]
    public void Read_NotAJwtWithANumericExp_IsNull(string token) => Assert.Null(TokenExpiry.Read(token));

    [Fact]
    public void Read_JwtWithExp_IsThatInstant()
    {
        var expires = DateTimeOffset.Parse("2026-12-06T12:10:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expires, TokenExpiry.Read(IdentityTokens.Jwt("system:serviceaccount:plant:gateway", expires)));
    }
}
