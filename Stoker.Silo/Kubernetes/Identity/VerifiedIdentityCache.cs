using System.Collections.Concurrent;

namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>
/// Verified tokens by their SHA-256 (the token itself is never kept), each until its own deadline, at most
/// <c>capacity</c> of them: a flood of distinct tokens costs TokenReviews, never memory.
/// </summary>
public sealed class VerifiedIdentityCache(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<string, (VerifiedIdentity Identity, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public VerifiedIdentity? Get(string tokenHash)
    {
        if (!_entries.TryGetValue(tokenHash, out var entry))
        {
            return null;
        }

        if (time.GetUtcNow() < entry.Until)
        {
            return entry.Identity;
        }

        _entries.TryRemove(KeyValuePair.Create(tokenHash, entry));
        return null;
    }

    public void Add(string tokenHash, VerifiedIdentity identity, DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        if (capacity <= 0 || until <= now)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(key, entry));
                }
            }

            if (_entries.Count >= capacity)
            {
                return;
            }
        }

        _entries[tokenHash] = (identity, until);
    }
}
