using Stoker.Grains.Events;

namespace Stoker.Silo.Kubernetes.Events;

/// <summary>
/// Aggregates events the way client-go's recorder does, without doing any I/O: an occurrence whose key (object,
/// component, type, reason, message) was seen within <c>window</c> of its last occurrence counts on the same Event
/// object (count + 1, new last timestamp); anything else starts a new Event object. Each Event object is written at
/// most once per <c>minWriteInterval</c>, so a flood of repeats becomes a few count bumps. The most recently seen
/// <c>capacity</c> keys are kept (least recently seen evicted first); an evicted key whose count was not written yet
/// is counted in <see cref="DroppedUnwritten"/>. Not thread-safe: one loop owns it.
/// </summary>
public sealed class EventCorrelator
{
    private readonly Dictionary<EventKey, CorrelatedEvent> _entries = [];
    private readonly LinkedList<CorrelatedEvent> _recency = new();
    private readonly HashSet<CorrelatedEvent> _pending = [];
    private readonly int _capacity;
    private readonly TimeSpan _window;
    private readonly TimeSpan _minWriteInterval;
    private readonly TimeProvider _time;

    public EventCorrelator(int capacity, TimeSpan window, TimeSpan minWriteInterval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(minWriteInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _capacity = capacity;
        _window = window;
        _minWriteInterval = minWriteInterval;
        _time = time;
    }

    /// <summary>Keys remembered now (at most the capacity).</summary>
    public int Count => _entries.Count;

    /// <summary>Event objects with occurrences not written yet.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Occurrences never written because their key was evicted (or its window ended) before they could be.</summary>
    public long DroppedUnwritten { get; private set; }

    /// <summary>Counts <paramref name="occurrence"/> on its Event object, or on a new one.</summary>
    public CorrelatedEvent Observe(EventOccurrence occurrence)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        if (_entries.TryGetValue(occurrence.Key, out var entry))
        {
            if (occurrence.Time - entry.LastTimestamp <= _window)
            {
                entry.Count++;
                if (occurrence.Time > entry.LastTimestamp)
                {
                    entry.LastTimestamp = occurrence.Time;
                }

                entry.ResourceVersion = occurrence.ResourceVersion ?? entry.ResourceVersion;
                _recency.Remove(entry.Node!);
                _recency.AddFirst(entry.Node!);
                _pending.Add(entry);
                return entry;
            }

            Remove(entry);
        }

        entry = new CorrelatedEvent(occurrence.Key, EventNames.New(occurrence.Key.Name), occurrence.Time) { ResourceVersion = occurrence.ResourceVersion };
        entry.Node = _recency.AddFirst(entry);
        _entries[occurrence.Key] = entry;
        _pending.Add(entry);
        while (_entries.Count > _capacity && _recency.Last is { } oldest)
        {
            Remove(oldest.Value);
        }

        return entry;
    }

    /// <summary>When the next write is due; null when everything is written.</summary>
    public DateTimeOffset? NextDue() => _pending.Count == 0 ? null : _pending.Min(DueAt);

    /// <summary>Snapshots of the writes due now, oldest occurrence first.</summary>
    public IReadOnlyList<EventWrite> TakeDue()
    {
        var now = _time.GetUtcNow();
        return _pending.Where(e => DueAt(e) <= now)
            .OrderBy(e => e.LastTimestamp)
            .Select(e => new EventWrite(e.Key, e.EventName, e.ResourceVersion, e.Count, e.FirstTimestamp, e.LastTimestamp, Create: e.WrittenCount == 0))
            .ToList();
    }

    /// <summary>
    /// <paramref name="write"/> landed (or was given up): its count is what the API server has. Nothing happens if
    /// the key has started another Event object meanwhile.
    /// </summary>
    public void Written(EventWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_entries.TryGetValue(write.Key, out var entry) && entry.EventName == write.EventName)
        {
            entry.WrittenCount = Math.Max(entry.WrittenCount, write.Count);
            entry.LastWriteAt = _time.GetUtcNow();
            if (!entry.IsPending)
            {
                _pending.Remove(entry);
            }
        }
    }

    private DateTimeOffset DueAt(CorrelatedEvent entry) => entry.LastWriteAt is { } last ? last + _minWriteInterval : DateTimeOffset.MinValue;

    private void Remove(CorrelatedEvent entry)
    {
        if (entry.IsPending)
        {
            DroppedUnwritten += entry.Count - entry.WrittenCount;
        }

        _pending.Remove(entry);
        _entries.Remove(entry.Key);
        _recency.Remove(entry.Node!);
        entry.Node = null;
    }
}
