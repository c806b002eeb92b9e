using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Tests.Webhooks;

/// <summary>Stands in for the grain behind the rate-limit gate: records the refs delivered, in order.</summary>
public sealed class ConcurrentRecorder
{
    private readonly Lock _sync = new();
    private readonly List<string> _refs = [];

    public IReadOnlyList<string> Refs
    {
        get
        {
            lock (_sync)
            {
                return [.. _refs];
            }
        }
    }

    public Task<RefRequestOutcome> Deliver(RefRequest request)
    {
        lock (_sync)
        {
            _refs.Add(request.Ref);
        }

        return Task.FromResult(RefRequestOutcome.Accepted);
    }
}
