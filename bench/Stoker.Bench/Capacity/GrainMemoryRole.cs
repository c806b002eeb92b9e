using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoker.Bench.Core;
using Stoker.Bench.Propagation;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Silo.Hosting;

namespace Stoker.Bench.Capacity;

/// <summary>
/// <c>stoker-bench child capacity-grain-memory &lt;grains&gt; &lt;batches&gt;</c>: hosts a silo in this process, composed
/// exactly as <c>stoker-silo</c> composes it (<see cref="StokerSiloHostExtensions.AddStokerSilo"/>: local mode,
/// in-memory state), activates <c>grains</c> idle Gateway grains per batch and prints, per batch,
/// <c>batch &lt;managed bytes per grain&gt; &lt;RSS bytes per grain&gt;</c>, each the difference across the batch after
/// a full, compacting garbage collection.
/// </summary>
public sealed class GrainMemoryRole : IChildRole
{
    public const string Name = "capacity-grain-memory";

    public string Role => Name;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var grains) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var batches))
        {
            await Console.Error.WriteLineAsync($"usage: stoker-bench child {Name} <grains> <batches>");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.AddStokerSilo(new StokerSiloOptions
        {
            SiloPort = ChildProcess.FreePort(),
            GatewayPort = ChildProcess.FreePort(),
            ClusterId = "bench-memory",
            ServiceId = "bench-memory",
        });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var factory = host.Services.GetRequiredService<IGrainFactory>();

            // Warm up: the first activations load code and fill the runtime's caches, which are no grain's cost.
            await ActivateAsync(factory, "warm", 500, cancellationToken);
            for (var batch = 0; batch < batches; batch++)
            {
                var (heapBefore, rssBefore) = Measure();
                await ActivateAsync(factory, $"b{batch}", grains, cancellationToken);
                var (heapAfter, rssAfter) = Measure();
                Console.Out.WriteLine(FormattableString.Invariant($"batch {(heapAfter - heapBefore) / (double)grains:0.0} {(rssAfter - rssBefore) / (double)grains:0.0}"));
                Console.Out.Flush();
            }
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stop.Token);
        }

        return 0;
    }

    /// <summary>Activates Gateway grains (of a GatewaySync that has no resource) by asking each for its snapshot.</summary>
    private static Task ActivateAsync(IGrainFactory factory, string prefix, int count, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, _) => await factory.GetGrain<IGatewayGrain>(GrainKeys.Gateway("bench", "memory", $"{prefix}-gw-{i:D5}")).GetSnapshot());

    private static (long Heap, long Rss) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return (GC.GetTotalMemory(forceFullCollection: true), MeasuredProcess.RssKb(Environment.ProcessId) * 1024);
    }
}
