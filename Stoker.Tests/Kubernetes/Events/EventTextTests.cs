using System.Text;
using Stoker.Grains.Events;
using Stoker.Silo.Kubernetes.Events;

namespace Stoker.Tests.Kubernetes.Events;

/// <summary>Event messages: the original's texts, control characters escaped, bounded in bytes.</summary>
public sealed class EventTextTests
{
    [Fact]
    public void Messages_are_the_originals()
    {
        Assert.Equal(new GatewaySyncEvent("gatewaysync-controller", "Normal", "Paused", "Reconciliation paused"), GatewaySyncEvents.Paused());
        Assert.Equal(new GatewaySyncEvent("gatewaysync-controller", "Warning", "ProfilesInvalid", "Profile validation failed: spec.sync: bad"), GatewaySyncEvents.ProfilesInvalid("spec.sync: bad"));
        Assert.Equal(new GatewaySyncEvent("gatewaysync-controller", "Warning", "GitHubAppExchangeFailed", "Ref resolution failed: GitHub App token"),
            GatewaySyncEvents.RefResolutionFailed(EventReasons.GitHubAppExchangeFailed, "GitHub App token"));
        Assert.Equal(new GatewaySyncEvent("gatewaysync-controller", "Normal", "GatewaysDiscovered", "Discovered 3 gateway(s) (was 1)"), GatewaySyncEvents.GatewaysDiscovered(3, 1));
        Assert.Equal(
            "Pod ignition-0 has inject annotation but no stoker-agent sidecar \u2014 webhook may have been unavailable during pod creation. Delete and recreate the pod.",
            GatewaySyncEvents.MissingSidecar("ignition-0").Message);
        Assert.Equal(new GatewaySyncEvent("webhook-receiver", "Normal", "WebhookReceived", "Webhook from github, ref \"v2.0.0\""), GatewaySyncEvents.WebhookReceived("github", "v2.0.0"));
    }

    [Fact]
    public void The_webhook_ref_is_quoted_as_go_quotes_it()
    {
        Assert.Equal("Webhook from generic, ref \"a\\\"b\\\\c\\n\"", GatewaySyncEvents.WebhookReceived("generic", "a\"b\\c\n").Message);
    }

    [Fact]
    public void Short_messages_are_kept_and_control_characters_escaped()
    {
        Assert.Equal("Ref resolution failed: x", EventText.Bound("Ref resolution failed: x", 1024));
        Assert.Equal("line\\nforged\\u001b[31m", EventText.Bound("line\nforged\u001b[31m", 1024));
        Assert.Equal("", EventText.Bound(null, 1024));
    }

    [Theory]
    [InlineData("x", 5000)]
    [InlineData("é", 5000)]
    [InlineData("😀", 5000)]
    public void Long_messages_are_cut_to_the_byte_limit_with_an_ellipsis(string unit, int repeat)
    {
        var message = string.Concat(Enumerable.Repeat(unit, repeat));
        var bounded = EventText.Bound(message, 1024);
        Assert.True(Encoding.UTF8.GetByteCount(bounded) <= 1024, $"{Encoding.UTF8.GetByteCount(bounded)} bytes");
        Assert.EndsWith("\u2026", bounded, StringComparison.Ordinal);
        Assert.StartsWith(unit + unit, bounded, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", bounded, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_exactly_at_the_limit_is_not_cut()
    {
        var message = new string('x', 1024);
        Assert.Equal(message, EventText.Bound(message, 1024));
        Assert.EndsWith("\u2026", EventText.Bound(message + "y", 1024), StringComparison.Ordinal);
    }
}
