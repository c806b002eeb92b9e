using System.Collections.Concurrent;

namespace Stoker.Silo.Authentication;

/// <summary>
/// Answers by key, each until its own deadline, at most <c>capacity</c> of them: past that, expired entries are
/// dropped and, if still full, the new answer is simply not kept (it costs another review, never memory).
/// </summary>
public sealed class ExpiringCache<TValue>(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGet(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (time.GetUtcNow() < entry.Until)
            {
                value = entry.Value;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create(key, entry));
        }

        value = default!;
        return false;
    }

    public void Add(string key, TValue value, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        if (capacity <= 0 || until <= now)
        {
            return;
        }

        if (_entries.Count >= capacity && !_entries.ContainsKey(key))
        {
            foreach (var (k, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(k, entry));
                }
            }

            if (_entries.Count >= capacity)
            {
                return;
            }
        }

        _entries[key] = (value, until);
    }
}
