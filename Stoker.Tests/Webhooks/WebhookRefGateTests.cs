using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Webhooks;

/// <summary>The rate-limit window and trailing-edge coalescing on a fake clock.</summary>
public sealed class WebhookRefGateTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentRecorder _delivered = new();
    private readonly WebhookRefGate _gate;

    public WebhookRefGateTests() => _gate = new WebhookRefGate(_time,
        Options.Create(new WebhookReceiverOptions { RateLimit = new WebhookRateLimitOptions { PermitLimit = 2, Window = TimeSpan.FromSeconds(10) } }),
        NullLogger<WebhookRefGate>.Instance);

    public void Dispose() => _gate.Dispose();

    [Fact]
    public async Task Submit_WithinLimit_DeliversAtOnce()
    {
        var a = await Submit("k", "a");
        var b = await Submit("k", "b");

        Assert.Equal(RefRequestOutcome.Accepted, a.Outcome);
        Assert.Equal(RefRequestOutcome.Accepted, b.Outcome);
        Assert.Equal(["a", "b"], _delivered.Refs);
    }

    [Fact]
    public async Task Submit_OverLimit_RetryAfterIsTheRestOfTheWindow()
    {
        await Submit("k", "a");
        _time.Advance(TimeSpan.FromSeconds(3));
        await Submit("k", "b");

        var limited = await Submit("k", "c");

        Assert.True(limited.IsLimited);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
        Assert.Equal(["a", "b"], _delivered.Refs);
    }

    [Fact]
    public async Task HeldRequests_OnlyTheNewestIsDeliveredWhenTheWindowOpens()
    {
        await Submit("k", "a");
        await Submit("k", "b");
        await Submit("k", "c");
        await Submit("k", "d");

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(["a", "b"], _delivered.Refs);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.Until(() => Task.FromResult(_delivered.Refs), r => r.Count == 3, TimeSpan.FromSeconds(5), "the held request");
        Assert.Equal(["a", "b", "d"], _delivered.Refs);
        var next = await Submit("k", "e");
        Assert.Equal(RefRequestOutcome.Accepted, next.Outcome);
        Assert.True((await Submit("k", "f")).IsLimited);
    }

    [Fact]
    public async Task HeldRequest_SupersededByANewerOneAdmittedInTheNextWindow()
    {
        await Submit("k", "a");
        await Submit("k", "b");
        Assert.True((await Submit("k", "held")).IsLimited);

        // The clock passes the window's end, but a newer request arrives before the timer has run.
        _time.AdjustTime(_time.GetUtcNow() + TimeSpan.FromSeconds(11));
        Assert.Equal(RefRequestOutcome.Accepted, (await Submit("k", "newer")).Outcome);
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(["a", "b", "newer"], _delivered.Refs);
    }

    [Fact]
    public async Task Lanes_AreIndependentPerGatewaySync()
    {
        await Submit("one", "a");
        await Submit("one", "b");

        Assert.True((await Submit("one", "c")).IsLimited);
        Assert.Equal(RefRequestOutcome.Accepted, (await Submit("two", "x")).Outcome);
    }

    [Fact]
    public async Task IdleLanes_AreForgottenOnceManyExist()
    {
        for (var i = 0; i < 1100; i++)
        {
            await Submit("k" + i, "r");
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        await Submit("fresh", "r");

        Assert.True(_gate.LaneCount < 10, $"{_gate.LaneCount} lanes left");
    }

    [Fact]
    public async Task Deliveries_AreSerialisedSoAnOlderRequestNeverOvertakesANewerOne()
    {
        var release = new TaskCompletionSource<RefRequestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = _gate.SubmitAsync("k", new RefRequest { Ref = "older" }, _ => release.Task);
        var newer = _gate.SubmitAsync("k", new RefRequest { Ref = "newer" }, r => _delivered.Deliver(r));

        Assert.False(newer.IsCompleted);
        release.SetResult(RefRequestOutcome.Accepted);

        Assert.Equal(RefRequestOutcome.Accepted, (await slow).Outcome);
        Assert.Equal(RefRequestOutcome.Accepted, (await newer).Outcome);
        Assert.Equal(["newer"], _delivered.Refs);
    }

    private Task<WebhookGateResult> Submit(string key, string @ref) => _gate.SubmitAsync(key, new RefRequest { Ref = @ref }, r => _delivered.Deliver(r));
}
