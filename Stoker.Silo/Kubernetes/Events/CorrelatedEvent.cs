namespace Stoker.Silo.Kubernetes.Events;

/// <summary>What <see cref="EventCorrelator"/> knows of one Event object: how often it happened and how much of that is written.</summary>
public sealed class CorrelatedEvent(EventKey key, string eventName, DateTimeOffset first)
{
    public EventKey Key { get; } = key;

    public string EventName { get; } = eventName;

    public string? ResourceVersion { get; set; }

    public int Count { get; set; } = 1;

    public DateTimeOffset FirstTimestamp { get; } = first;

    public DateTimeOffset LastTimestamp { get; set; } = first;

    /// <summary>The count the API server has; 0 while the Event object is not created.</summary>
    public int WrittenCount { get; set; }

    public DateTimeOffset? LastWriteAt { get; set; }

    public bool IsPending => Count != WrittenCount;

    /// <summary>The node in the correlator's recency list.</summary>
    internal LinkedListNode<CorrelatedEvent>? Node { get; set; }
}
