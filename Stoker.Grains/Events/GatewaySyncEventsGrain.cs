using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Events;
using Stoker.Grains.Interfaces.Grains;

namespace Stoker.Grains.Events;

/// <summary>
/// Local mode's Events about one GatewaySync. An occurrence with the same uid, component, type, reason and message as
/// a kept Event object counts on it (count + 1, new last timestamp), as client-go's correlator and the API server do;
/// anything else is a new Event object. At most <see cref="LocalEventOptions.MaxEventsPerObject"/> are kept (the least
/// recently seen dropped first), each for <see cref="LocalEventOptions.TimeToLive"/> after it was last seen. An
/// occurrence with another uid means the GatewaySync was deleted and created again: the old object's events go.
/// Kept in memory only (a silo restart forgets them, as events are a diagnostic, not state); the grain outlives the
/// TTL when idle so nothing is forgotten early.
/// </summary>
[CollectionAgeLimit(Minutes = 70)]
public sealed class GatewaySyncEventsGrain(IOptions<LocalEventOptions> options, TimeProvider time) : Grain, IGatewaySyncEventsGrain
{
    private readonly LocalEventOptions _options = options.Value;
    private readonly List<LocalEventEntry> _entries = [];
    private long _version;

    public Task Record(EventOccurrenceRecord occurrence)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        Expire();
        if (occurrence.Uid is { } uid)
        {
            _entries.RemoveAll(e => e.Uid is not null && e.Uid != uid);
        }

        var version = NextVersion(occurrence.Time);
        var entry = _entries.Find(e => e.Matches(occurrence));
        if (entry is not null)
        {
            entry.Count++;
            // One-way messages may arrive out of order: the timestamps only widen.
            if (occurrence.Time > entry.LastTimestamp)
            {
                entry.LastTimestamp = occurrence.Time;
            }

            if (occurrence.Time < entry.FirstTimestamp)
            {
                entry.FirstTimestamp = occurrence.Time;
            }

            entry.ResourceVersion = occurrence.ResourceVersion ?? entry.ResourceVersion;
            entry.Version = version;
            return Task.CompletedTask;
        }

        var (_, name) = GrainKeys.ParseGatewaySync(this.GetPrimaryKeyString());
        _entries.Add(new LocalEventEntry(EventNames.New(name), occurrence) { Version = version });
        while (_entries.Count > _options.MaxEventsPerObject)
        {
            _entries.Remove(_entries.MinBy(e => e.LastTimestamp)!);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredEvent>> List()
    {
        Expire();
        return Task.FromResult<IReadOnlyList<StoredEvent>>(_entries
            .OrderBy(e => e.FirstTimestamp)
            .Select(e => new StoredEvent(e.Name, e.Uid, e.ResourceVersion, e.Component, e.Type, e.Reason, e.Message, e.FirstTimestamp, e.LastTimestamp, e.Count, e.Version))
            .ToList());
    }

    private void Expire()
    {
        var cutoff = time.GetUtcNow() - _options.TimeToLive;
        _entries.RemoveAll(e => e.LastTimestamp < cutoff);
    }

    /// <summary>Microseconds of the change, strictly increasing (the Event object's resourceVersion).</summary>
    private long NextVersion(DateTimeOffset at)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);
        _version = Math.Max(_version + 1, micros);
        return _version;
    }
}
