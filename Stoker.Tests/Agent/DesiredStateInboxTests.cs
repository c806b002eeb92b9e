using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Agent;

public sealed class DesiredStateInboxTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public DesiredStateInboxTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public void Offer_OutOfOrder_StaleStateIgnored()
    {
        var inbox = new DesiredStateInbox();

        Assert.True(inbox.Offer(new DesiredState { Version = 3, Commit = "c3" }));
        Assert.False(inbox.Offer(new DesiredState { Version = 2, Commit = "c2" }));
        Assert.False(inbox.Offer(new DesiredState { Version = 3, Commit = "other" }));

        Assert.Equal("c3", inbox.Current!.Commit);
    }

    [Fact]
    public async Task ObserverReference_OutOfOrderPushesOverOrleans_StaleOneIgnored()
    {
        var inbox = new DesiredStateInbox();
        var reference = _fixture.Host.Client.CreateObjectReference<IGatewayObserver>(inbox);
        try
        {
            var waiting = inbox.WaitAsync(CancellationToken.None);
            await reference.DesiredStateChanged(new DesiredState { Version = 7, Commit = "new" });
            await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            await reference.DesiredStateChanged(new DesiredState { Version = 5, Commit = "stale" });
            await reference.DesiredStateChanged(new DesiredState { Version = 8, Commit = "newer" });
            // Polled, not awaited from here: the push of 8 may have landed before a wait begun now would start listening.
            await Eventually.Until(() => Task.FromResult(inbox.Current?.Commit), c => c == "newer", TimeSpan.FromSeconds(10), "version 8 in the inbox");

            // Version 8 is the barrier: 5, sent before it on the same connection, was dropped whether it came before or after.
            Assert.Equal("newer", inbox.Current!.Commit);
        }
        finally
        {
            _fixture.Host.Client.DeleteObjectReference<IGatewayObserver>(reference);
        }
    }

    [Fact]
    public async Task WaitAsync_ChangeBeforeWait_ReturnsAtOnce()
    {
        var inbox = new DesiredStateInbox();
        inbox.Offer(new DesiredState { Version = 1 });

        await inbox.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var second = inbox.WaitAsync(CancellationToken.None);

        Assert.False(second.IsCompleted);
        inbox.Offer(new DesiredState { Version = 2 });
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
