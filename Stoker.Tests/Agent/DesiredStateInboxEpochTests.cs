using Stoker.Tests.Infrastructure;
using Stoker.AgentClient.Control;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Tests.Agent;

/// <summary>Issue 11, defect 6: versions compare only within an epoch; another epoch always replaces the held state.</summary>
public sealed class DesiredStateInboxEpochTests
{
    [Fact]
    public void Offer_LowerVersionOfAnotherEpoch_Replaces()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        Assert.True(inbox.Offer(new DesiredState { Epoch = "old", Version = 3, Commit = "c3" }));

        // The silo lost its state and counts from 1 again under a new epoch.
        Assert.True(inbox.Offer(new DesiredState { Epoch = "new", Version = 1, Commit = "after-restart" }));

        Assert.Equal("after-restart", inbox.Current!.Commit);
        Assert.Equal("new", inbox.Current.Epoch);
    }

    [Fact]
    public void Offer_SameEpoch_StaleOrEqualVersionsStillIgnored()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        Assert.True(inbox.Offer(new DesiredState { Epoch = "e", Version = 1, Commit = "c1" }));
        Assert.True(inbox.Offer(new DesiredState { Epoch = "e", Version = 3, Commit = "c3" }));

        // One-way pushes arriving out of order within the epoch.
        Assert.False(inbox.Offer(new DesiredState { Epoch = "e", Version = 2, Commit = "c2" }));
        Assert.False(inbox.Offer(new DesiredState { Epoch = "e", Version = 3, Commit = "again" }));

        Assert.Equal("c3", inbox.Current!.Commit);
    }

    [Fact]
    public void Offer_AfterEpochChange_NewEpochOrdersByVersion()
    {
        var inbox = new DesiredStateInbox(Serializers.DesiredState);
        inbox.Offer(new DesiredState { Epoch = "old", Version = 7, Commit = "old7" });
        inbox.Offer(new DesiredState { Epoch = "new", Version = 2, Commit = "new2" });

        Assert.False(inbox.Offer(new DesiredState { Epoch = "new", Version = 1, Commit = "new1" }));
        Assert.True(inbox.Offer(new DesiredState { Epoch = "new", Version = 3, Commit = "new3" }));

        Assert.Equal("new3", inbox.Current!.Commit);
    }

    [Theory]
    [InlineData("a", 5, "a", 4, false)]
    [InlineData("a", 5, "a", 5, false)]
    [InlineData("a", 5, "a", 6, true)]
    [InlineData("a", 5, "b", 1, true)]
    [InlineData("", 5, "b", 1, true)]
    public void Supersedes_ComparesEpochFirstThenVersion(string heldEpoch, long heldVersion, string epoch, long version, bool expected)
    {
        var held = new DesiredState { Epoch = heldEpoch, Version = heldVersion };

        Assert.Equal(expected, new DesiredState { Epoch = epoch, Version = version }.Supersedes(held));
        Assert.True(held.Supersedes(null));
    }
}
