namespace Stoker.Silo.Webhooks;

/// <summary>One GatewaySync's rate-limit window, its held request and its delivery order. Guarded by <see cref="Sync"/>.</summary>
internal sealed class WebhookLane
{
    public Lock Sync { get; } = new();

    /// <summary>Serialises deliveries to the grain so a newer request is never overtaken by an older one.</summary>
    public SemaphoreSlim Delivery { get; } = new(1, 1);

    public bool HasWindow { get; set; }

    public long WindowStart { get; set; }

    public int Used { get; set; }

    public long NextSequence { get; set; }

    /// <summary>Sequence of the newest request handed to the grain (read and written under <see cref="Delivery"/>).</summary>
    public long LastDelivered { get; set; }

    public PendingRefRequest? Pending { get; set; }

    public ITimer? Trailing { get; set; }

    /// <summary>Removed from the gate while idle; a caller holding it must fetch the lane again.</summary>
    public bool Retired { get; set; }
}
