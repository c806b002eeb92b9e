namespace Stoker.Grains.Interfaces.Events;

/// <summary>
/// One occurrence of an event about a GatewaySync, as local mode's recorder hands it to the object's events grain:
/// the object's uid and resourceVersion when it happened, who reported it, and what (the message already bounded).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EventOccurrenceRecord(
    [property: Id(0)] string? Uid,
    [property: Id(1)] string? ResourceVersion,
    [property: Id(2)] string Component,
    [property: Id(3)] string Type,
    [property: Id(4)] string Reason,
    [property: Id(5)] string Message,
    [property: Id(6)] DateTimeOffset Time);
