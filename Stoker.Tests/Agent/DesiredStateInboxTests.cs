using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Agent;

public sealed class DesiredStateInboxTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    private static readonly string Session = new('a', 64);

    public DesiredStateInboxTests(ControlPlaneFixture fixture) => _fixture = fixture;

    private static DesiredStatePush Sealed(DesiredState state, string? session = null) =>
        Stoker.Grains.Interfaces.Security.DesiredStateSeal.Seal(Serializers.DesiredState, state, Stoker.Grains.Interfaces.Security.DesiredStateSeal.KeyFor(session ?? Session));

    [Fact]
    public void Offer_OutOfOrder_StaleStateIgnored()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);

        Assert.True(inbox.Offer(new DesiredState { Version = 3, Commit = "c3" }));
        Assert.False(inbox.Offer(new DesiredState { Version = 2, Commit = "c2" }));
        Assert.False(inbox.Offer(new DesiredState { Version = 3, Commit = "other" }));

        Assert.Equal("c3", inbox.Current!.Commit);
    }

    [Fact]
    public async Task ObserverReference_OutOfOrderPushesOverOrleans_StaleOneIgnored()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        inbox.UseSession(Session);
        var reference = _fixture.Host.Client.CreateObjectReference<IGatewayObserver>(inbox);
        try
        {
            var waiting = inbox.WaitAsync(CancellationToken.None);
            await reference.DesiredStateChanged(Sealed(new DesiredState { Version = 7, Commit = "new" }));
            await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            await reference.DesiredStateChanged(Sealed(new DesiredState { Version = 5, Commit = "stale" }));
            await reference.DesiredStateChanged(Sealed(new DesiredState { Version = 8, Commit = "newer" }));
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
    public async Task Push_SealNotOfTheSession_DroppedAndCounted()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        var refused = 0;
        inbox.PushRefused += () => refused++;
        IGatewayObserver observer = inbox;

        // Before any session is known nothing is taken, not even a push sealed for the session about to start.
        await observer.DesiredStateChanged(Sealed(new DesiredState { Version = 1, Commit = "early" }));
        inbox.UseSession(Session);
        await observer.DesiredStateChanged(Sealed(new DesiredState { Version = 2, Commit = "c2" }));
        Assert.Equal("c2", inbox.Current!.Commit);

        // Another session's key, a seal copied onto other bytes, a truncated seal, none: all dropped, the state kept.
        await observer.DesiredStateChanged(Sealed(new DesiredState { Version = 9, Commit = "forged" }, new string('b', 64)));
        var genuine = Sealed(new DesiredState { Version = 10, Commit = "c10" });
        var other = Sealed(new DesiredState { Version = 11, Commit = "forged" }, new string('b', 64));
        await observer.DesiredStateChanged(genuine with { State = other.State });
        await observer.DesiredStateChanged(genuine with { Seal = genuine.Seal[..16] });
        await observer.DesiredStateChanged(genuine with { Seal = [] });
        await observer.DesiredStateChanged(new DesiredStatePush());

        Assert.Equal("c2", inbox.Current!.Commit);
        Assert.Equal(6, inbox.RefusedPushes);
        Assert.Equal(6, refused);
        await observer.DesiredStateChanged(genuine);
        Assert.Equal("c10", inbox.Current!.Commit);
    }

    [Fact]
    public async Task WaitAsync_ChangeBeforeWait_ReturnsAtOnce()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        inbox.Offer(new DesiredState { Version = 1 });

        await inbox.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var second = inbox.WaitAsync(CancellationToken.None);

        Assert.False(second.IsCompleted);
        inbox.Offer(new DesiredState { Version = 2 });
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
