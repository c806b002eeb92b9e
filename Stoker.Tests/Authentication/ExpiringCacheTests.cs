using Microsoft.Extensions.Time.Testing;
using Stoker.Silo.Authentication;

namespace Stoker.Tests.Authentication;

public sealed class ExpiringCacheTests
{
    [Fact]
    public void Entry_ServedUntilItsDeadline_ThenGone()
    {
        var time = new FakeTimeProvider();
        var cache = new ExpiringCache<string>(time, 10);
        cache.Add("k", "v", time.GetUtcNow().AddSeconds(10));
        Assert.True(cache.TryGet("k", out var value));
        Assert.Equal("v", value);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(cache.TryGet("k", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Full_DropsExpiredEntries_ThenKeepsNothingNew_NeverGrowsPastCapacity()
    {
        var time = new FakeTimeProvider();
        var cache = new ExpiringCache<int>(time, 3);
        for (var i = 0; i < 3; i++)
        {
            cache.Add($"k{i}", i, time.GetUtcNow().AddSeconds(i + 1));
        }

        cache.Add("k3", 3, time.GetUtcNow().AddSeconds(10));
        Assert.Equal(3, cache.Count);
        Assert.False(cache.TryGet("k3", out _));

        time.Advance(TimeSpan.FromSeconds(1.5));
        cache.Add("k4", 4, time.GetUtcNow().AddSeconds(10));
        Assert.True(cache.TryGet("k4", out _));
        Assert.False(cache.TryGet("k0", out _));
        Assert.True(cache.Count <= 3);
    }

    [Fact]
    public void ZeroCapacity_OrPastDeadline_KeepsNothing()
    {
        var time = new FakeTimeProvider();
        var none = new ExpiringCache<int>(time, 0);
        none.Add("k", 1, time.GetUtcNow().AddMinutes(1));
        Assert.False(none.TryGet("k", out _));
        var some = new ExpiringCache<int>(time, 5);
        some.Add("k", 1, time.GetUtcNow());
        Assert.False(some.TryGet("k", out _));
    }
}
