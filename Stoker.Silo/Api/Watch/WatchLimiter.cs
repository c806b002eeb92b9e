using Microsoft.Extensions.Options;

namespace Stoker.Silo.Api.Watch;

/// <summary>Counts open watches so that clients cannot hold more than <see cref="WatchOptions.MaxConcurrentWatches"/> polls at once.</summary>
public sealed class WatchLimiter(IOptions<WatchOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentWatches, options.Value.MaxConcurrentWatches);

    public int Limit { get; } = options.Value.MaxConcurrentWatches;

    public bool TryEnter() => _slots.Wait(0);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
