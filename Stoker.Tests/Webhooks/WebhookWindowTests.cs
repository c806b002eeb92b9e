using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.GatewaySyncs;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Tests.Webhooks;

/// <summary>The GatewaySync grain's webhook rate-limit window on a fake clock (the grain's timer delivery is covered over HTTP).</summary>
public sealed class WebhookWindowTests
{
    private static readonly WebhookRateLimit Limit = new() { PermitLimit = 2, Window = TimeSpan.FromSeconds(10) };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryTake_WithinLimit_TakesAtOnce()
    {
        var window = new WebhookWindow(_time);

        Assert.True(window.TryTake(Limit, out _));
        Assert.True(window.TryTake(Limit, out var retryAfter));
        Assert.Equal(TimeSpan.Zero, retryAfter);
    }

    [Fact]
    public void TryTake_OverLimit_RetryAfterIsTheRestOfTheWindow()
    {
        var window = new WebhookWindow(_time);
        window.TryTake(Limit, out _);
        _time.Advance(TimeSpan.FromSeconds(3));
        window.TryTake(Limit, out _);

        Assert.False(window.TryTake(Limit, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(7), retryAfter);
    }

    [Fact]
    public void TryTake_AfterTheWindow_OpensANewOne()
    {
        var window = new WebhookWindow(_time);
        window.TryTake(Limit, out _);
        window.TryTake(Limit, out _);
        Assert.False(window.TryTake(Limit, out _));

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(window.TryTake(Limit, out _));
        Assert.True(window.TryTake(Limit, out _));
        Assert.False(window.TryTake(Limit, out _));
    }

    [Fact]
    public void Hold_KeepsOnlyTheNewest_ReleaseForgetsIt()
    {
        var window = new WebhookWindow(_time);

        window.Hold(new RefRequest { Ref = "older" }, Limit);
        window.Hold(new RefRequest { Ref = "newer" }, Limit);

        Assert.Equal("newer", window.Held?.Ref);
        Assert.Same(Limit, window.HeldLimit);
        window.Release();
        Assert.Null(window.Held);
        Assert.Null(window.HeldLimit);
    }
}
