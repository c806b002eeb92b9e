namespace Stoker.Grains.Interfaces.Events;

/// <summary>
/// One Event object local mode keeps about a GatewaySync: repeats of the same occurrence counted on it, as the API
/// server keeps client-go's aggregated events. <see cref="Version"/> changes whenever the object does.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StoredEvent(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Uid,
    [property: Id(2)] string? ResourceVersion,
    [property: Id(3)] string Component,
    [property: Id(4)] string Type,
    [property: Id(5)] string Reason,
    [property: Id(6)] string Message,
    [property: Id(7)] DateTimeOffset FirstTimestamp,
    [property: Id(8)] DateTimeOffset LastTimestamp,
    [property: Id(9)] int Count,
    [property: Id(10)] long Version);
