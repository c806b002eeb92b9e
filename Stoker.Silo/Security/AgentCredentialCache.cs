using System.Collections.Concurrent;

namespace Stoker.Silo.Security;

/// <summary>
/// Accepted credentials by their SHA-256 (the token itself is never kept), each until its own deadline, at most
/// <c>capacity</c> of them: a flood of distinct tokens costs verifications, never memory.
/// </summary>
public sealed class AgentCredentialCache(TimeProvider time, int capacity)
{
    private readonly ConcurrentDictionary<CredentialHash, AgentCredentialVerdict> _entries = new();

    public int Count => _entries.Count;

    public AgentCredentialVerdict? Get(CredentialHash credentialHash)
    {
        if (!_entries.TryGetValue(credentialHash, out var verdict))
        {
            return null;
        }

        if (time.GetUtcNow() < verdict.ValidUntil)
        {
            return verdict;
        }

        _entries.TryRemove(KeyValuePair.Create(credentialHash, verdict));
        return null;
    }

    public void Add(CredentialHash credentialHash, AgentCredentialVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var now = time.GetUtcNow();
        if (capacity <= 0 || !verdict.IsAccepted || verdict.ValidUntil <= now)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.ValidUntil <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(key, entry));
                }
            }

            if (_entries.Count >= capacity)
            {
                return;
            }
        }

        _entries[credentialHash] = verdict;
    }
}
