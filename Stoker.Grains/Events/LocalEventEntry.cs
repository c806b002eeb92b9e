using Stoker.Grains.Interfaces.Events;

namespace Stoker.Grains.Events;

/// <summary>One Event object <see cref="GatewaySyncEventsGrain"/> keeps.</summary>
internal sealed class LocalEventEntry(string name, EventOccurrenceRecord first)
{
    public string Name { get; } = name;

    public string? Uid { get; } = first.Uid;

    public string Component { get; } = first.Component;

    public string Type { get; } = first.Type;

    public string Reason { get; } = first.Reason;

    public string Message { get; } = first.Message;

    public DateTimeOffset FirstTimestamp { get; set; } = first.Time;

    public DateTimeOffset LastTimestamp { get; set; } = first.Time;

    public string? ResourceVersion { get; set; } = first.ResourceVersion;

    public int Count { get; set; } = 1;

    public long Version { get; set; }

    public bool Matches(EventOccurrenceRecord o) =>
        Uid == o.Uid && Component == o.Component && Type == o.Type && Reason == o.Reason && Message == o.Message;
}
