using System.Runtime;
using Microsoft.Extensions.Logging;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Gives memory back once the agent has gone quiet after a sync. A sync of a large repository leaves its garbage
/// (desired and live trees, the comparison, the report) on the heap, and an idle agent allocates too little for the
/// GC to run again soon: without this its resident set stays near the sync's peak until the next sync
/// (docs/sync-engine.md, Memory). One blocking, compacting full collection that also returns the freed
/// segments to the system, then a trim of the C library's heap (what libgit2 freed), a second after the last sync
/// finished (a sync that follows sooner postpones it).
/// </summary>
public sealed partial class IdleMemoryCompactor : IDisposable
{
    /// <summary>How long after a sync the agent counts as idle.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly ITimer _timer;
    private readonly ILogger _logger;
    private int _compactions;

    public IdleMemoryCompactor(TimeProvider time, ILogger<IdleMemoryCompactor> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        _logger = logger;
        _timer = time.CreateTimer(_ => Compact(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many compactions have run (for tests).</summary>
    public int Compactions => Volatile.Read(ref _compactions);

    /// <summary>(Re)starts the wait: the compaction runs <see cref="Delay"/> after the latest call.</summary>
    public void Schedule() => _timer.Change(Delay, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();

    private void Compact()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        Interlocked.Increment(ref _compactions);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        LogCompacted(_logger, info.HeapSizeBytes / 1024 / 1024, info.TotalCommittedBytes / 1024 / 1024, Environment.WorkingSet / 1024 / 1024);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle after a sync: heap compacted to {HeapMb} MB ({CommittedMb} MB committed), resident set {ResidentMb} MB")]
    private static partial void LogCompacted(ILogger logger, long heapMb, long committedMb, long residentMb);
}
