namespace Stoker.Silo.Kubernetes.Events;

/// <summary>One event as recorded, before aggregation: its key, the object's resourceVersion if known, and when it happened.</summary>
public sealed record EventOccurrence(EventKey Key, string? ResourceVersion, DateTimeOffset Time);
