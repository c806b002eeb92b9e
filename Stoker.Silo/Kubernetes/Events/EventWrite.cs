namespace Stoker.Silo.Kubernetes.Events;

/// <summary>
/// One write the recorder is to make: create the Event <see cref="EventName"/> (nothing written for it yet) or patch its
/// count and last timestamp. A snapshot: occurrences arriving during the write leave the entry due again.
/// </summary>
public sealed record EventWrite(
    EventKey Key,
    string EventName,
    string? ResourceVersion,
    int Count,
    DateTimeOffset FirstTimestamp,
    DateTimeOffset LastTimestamp,
    bool Create);
