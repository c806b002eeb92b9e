namespace Stoker.Grains.Events;

/// <summary>The reporting components, as the original operator's recorders name themselves (<c>source.component</c>).</summary>
public static class EventComponents
{
    /// <summary>The GatewaySync reconciler (here: the GatewaySync grain).</summary>
    public const string GatewaySyncController = "gatewaysync-controller";

    public const string WebhookReceiver = "webhook-receiver";
}
