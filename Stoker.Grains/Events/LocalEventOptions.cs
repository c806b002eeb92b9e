namespace Stoker.Grains.Events;

/// <summary>Local mode's Events (<c>Stoker:Events</c>): how many are kept per GatewaySync and for how long (docs/kubectl.md, "Events").</summary>
public sealed class LocalEventOptions
{
    public const string SectionName = "Stoker:Events";

    /// <summary>Event objects kept per GatewaySync; the least recently seen goes first. Repeats count on one object.</summary>
    public int MaxEventsPerObject { get; set; } = 100;

    /// <summary>An Event object not seen again for this long is gone, as the API server's default event TTL.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longer messages are cut (UTF-8 bytes), as in Kubernetes mode.</summary>
    public int MaxMessageBytes { get; set; } = 1024;
}
