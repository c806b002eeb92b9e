using Orleans.Concurrency;
using Stoker.Grains.Interfaces.Events;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>
/// Local mode's Events about one GatewaySync (key <c>{namespace}/{name}</c>, as its GatewaySync grain): the recent
/// ones, correlated and bounded, kept in memory like the API server keeps Events for an hour (docs/kubectl.md, "Events").
/// </summary>
public interface IGatewaySyncEventsGrain : IGrainWithStringKey
{
    /// <summary>Counts the occurrence; one-way, so a GatewaySync grain recording an event never waits for it.</summary>
    [OneWay]
    Task Record(EventOccurrenceRecord occurrence);

    /// <summary>The Event objects not expired, oldest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<StoredEvent>> List();
}
