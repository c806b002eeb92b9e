using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace Stoker.Tests.Fuzz;

/// <summary>
/// Drives one fuzz target with CsCheck for a bounded time (<see cref="Seconds"/>; <c>STOKER_FUZZ_SECONDS</c> lengthens
/// it) on one worker thread, and holds every input to three rules: only the target's documented exceptions, no hang
/// (each input finishes within <see cref="InputDeadline"/>, watched from outside so a hang fails the test instead of
/// blocking it), and bounded memory (bytes allocated while handling one input, and the heap after it). Prints the
/// figures docs/security.md records.
/// </summary>
internal sealed class FuzzRun<T>(string target, ITestOutputHelper output)
{
    /// <summary>Generous for a noisy shared machine: the slowest input seen takes well under a second.</summary>
    public static readonly TimeSpan InputDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Allocation while handling one input; the largest seen is far below (see docs/security.md).</summary>
    public const long MaxAllocatedBytesPerInput = 1L << 30;

    /// <summary>The managed heap after an input (what stays alive, not what was churned through).</summary>
    public const long MaxHeapBytes = 1L << 30;

    private readonly Lock _sync = new();
    private long _inputs;
    private long _maxAllocated;
    private long _maxHeap;
    private TimeSpan _slowest;
    private long _started = -1;
    private T? _current;

    /// <summary>Seconds per target: 3 by default (CI), <c>STOKER_FUZZ_SECONDS</c> for a long run.</summary>
    public static int Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("STOKER_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 3;

    public async Task RunAsync(Gen<T> gen, Action<T> handle, Func<T, string> print)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(handle);
        var clock = Stopwatch.StartNew();
        var summary = "";
        var work = Task.Factory.StartNew(
            () => gen.Sample(input => Handle(input, handle), writeLine: s => summary = s, time: Seconds, threads: 1, print: i => Cut(print(i))),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The watchdog: a hang inside the target fails here, naming the input, instead of blocking the test run.
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(200)));
            lock (_sync)
            {
                if (_started >= 0 && Stopwatch.GetElapsedTime(_started) > InputDeadline)
                {
                    Assert.Fail($"{target}: an input ran longer than {InputDeadline}: {Cut(print(_current!))}");
                }
            }
        }

        await work;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz {target}: {_inputs:N0} inputs in {clock.Elapsed.TotalSeconds:0.0} s; slowest input {_slowest.TotalMilliseconds:0} ms; "
            + $"most allocated by one input {_maxAllocated / 1048576.0:0.0} MiB; largest heap after an input {_maxHeap / 1048576.0:0.0} MiB; CsCheck: {summary}"));
    }

    private void Handle(T input, Action<T> handle)
    {
        lock (_sync)
        {
            _current = input;
            _started = Stopwatch.GetTimestamp();
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        handle(input);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        TimeSpan took;
        lock (_sync)
        {
            took = Stopwatch.GetElapsedTime(_started);
            _started = -1;
            _inputs++;
            _maxAllocated = Math.Max(_maxAllocated, allocated);
            _maxHeap = Math.Max(_maxHeap, heap);
            _slowest = took > _slowest ? took : _slowest;
        }

        Assert.True(took <= InputDeadline, $"an input took {took}");
        Assert.True(allocated <= MaxAllocatedBytesPerInput, $"an input allocated {allocated:N0} bytes");
        if (heap > MaxHeapBytes)
        {
            // The heap is the process's: garbage of other tests running beside this one counts until a collection. Only
            // what is still alive after a full one is held against the input.
            heap = GC.GetTotalMemory(forceFullCollection: true);
            Assert.True(heap <= MaxHeapBytes, $"the heap held {heap:N0} bytes after a full collection");
        }
    }

    private static string Cut(string text) => text.Length <= 2000 ? text : text[..2000] + $"… ({text.Length} characters)";
}
