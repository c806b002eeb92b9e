using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Runtime;
using Orleans.Storage;

namespace Stoker.Silo.Persistence;

/// <summary>
/// Local mode's grain storage: each grain's state kept in this process as serialized bytes (so a stored state is never
/// shared with the live one), with ETags checked as a database would. Unlike Orleans' memory provider, which sends
/// every read and write as a message to one of a few storage grains, a write here is a serialization and a dictionary
/// update: thousands of gateways writing at once do not queue behind those grains (measured by the propagation
/// benchmark: a 1,000-gateway fan-out's silo CPU and p50 roughly halved). Hand-written because Orleans ships no
/// in-process store other than that one. Correct only for one silo, which is what local mode's localhost clustering
/// runs; with PostgreSQL the ADO.NET provider is used instead.
/// </summary>
public sealed class InProcessGrainStorage(string name, IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    private long _nextETag;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var data = serializer.Serialize(grainState.State);
        var key = (stateName, grainId);
        var etag = Interlocked.Increment(ref _nextETag).ToString(CultureInfo.InvariantCulture);
        var fresh = new Entry(data, etag);
        while (true)
        {
            if (_entries.TryGetValue(key, out var current))
            {
                if (current.ETag != grainState.ETag)
                {
                    throw new InconsistentStateException($"{name}: {stateName} of {grainId}: stored ETag {current.ETag} does not match {grainState.ETag ?? "none"}", current.ETag, grainState.ETag);
                }

                if (_entries.TryUpdate(key, fresh, current))
                {
                    break;
                }
            }
            else
            {
                if (grainState.ETag is not null)
                {
                    throw new InconsistentStateException($"{name}: {stateName} of {grainId}: no stored state for ETag {grainState.ETag}", null, grainState.ETag);
                }

                if (_entries.TryAdd(key, fresh))
                {
                    break;
                }
            }
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (stateName, grainId);
        if (_entries.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag)
            {
                throw new InconsistentStateException($"{name}: {stateName} of {grainId}: stored ETag {current.ETag} does not match {grainState.ETag ?? "none"}", current.ETag, grainState.ETag);
            }

            _entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current));
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private sealed record Entry(BinaryData Data, string ETag);
}
