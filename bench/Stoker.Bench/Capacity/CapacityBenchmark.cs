using System.Diagnostics;
using System.Globalization;
using Stoker.Bench.Core;
using Stoker.Bench.Propagation;

namespace Stoker.Bench.Capacity;

/// <summary>
/// Benchmark 4: how many sync reports per second the Gateway grains of one real <c>stoker-silo</c> take at 10,000
/// gateways, and how much memory an idle Gateway grain costs.
/// </summary>
public sealed class CapacityBenchmark : IBenchmark
{
    private const string Namespace = PropagationBenchmark.Namespace;
    private const string SyncName = "fleet";

    public string Name => "capacity";

    public string Title => "Control-plane capacity";

    public string SizeHelp => "gateway count (default 10000; smoke 200)";

    public async Task<BenchmarkResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var gateways = context.Size is null ? (context.Smoke ? 200 : 10_000) : ParseSize(context.Size);
        var windows = context.RunsOr(6);
        var window = context.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        const int concurrencyPerProcess = 128;
        var processes = gateways >= 2000 ? 2 : 1;

        // One more window than measured: the first warms up (code loading, connection buffers) and is dropped.
        var (allRates, failed, registration, cpu) = await MeasureReportsAsync(context, gateways, processes, windows + 1, window, concurrencyPerProcess, null, cancellationToken);
        var rates = allRates.Skip(1).ToList();
        context.Progress($"capacity: reports/s per window over TLS: {string.Join(", ", rates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}");

        // The same run over plain TCP (Stoker:Silo:AllowInsecureAgents): what TLS on the gateway port costs.
        var (plainAllRates, plainFailed, _, plainCpu) = await MeasureReportsAsync(context, gateways, processes, windows + 1, window, concurrencyPerProcess,
            new Dictionary<string, string> { ["Stoker__Silo__AllowInsecureAgents"] = "true" }, cancellationToken);
        var plainRates = plainAllRates.Skip(1).ToList();
        context.Progress($"capacity: reports/s per window over plain TCP: {string.Join(", ", plainRates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}");

        // The same again on a silo that skips the per-call credential check: what the check costs, measured in this run.
        var (uncheckedAll, uncheckedFailed, _, uncheckedCpu) = await MeasureReportsAsync(context, gateways, processes, windows + 1, window, concurrencyPerProcess,
            new Dictionary<string, string> { ["Stoker__Security__VerifyAgentCalls"] = "false" }, cancellationToken);
        var uncheckedRates = uncheckedAll.Skip(1).ToList();
        context.Progress($"capacity: without the credential check, reports/s per window: {string.Join(", ", uncheckedRates.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))}");
        var load = ProcessCpu.LoadAverage();

        var memoryBatches = context.Smoke ? 1 : 3;
        var (heap, rss) = await MeasureGrainMemoryAsync(context, gateways, memoryBatches, cancellationToken);
        context.Progress($"capacity: per idle Gateway grain: managed {string.Join(", ", heap.Select(h => (h / 1024).ToString("0.0", CultureInfo.InvariantCulture)))} KB");

        return new BenchmarkResult(Name, Title)
        {
            Parameters = new Dictionary<string, string>
            {
                ["gateways"] = gateways.ToString("N0", CultureInfo.InvariantCulture),
                ["report windows"] = $"{windows} × {window.TotalSeconds:0} s",
                ["senders"] = $"{processes} processes × {concurrencyPerProcess} in flight",
            },
            Figures =
            [
                new Figure($"sync reports into Gateway grains, {gateways:N0} gateways (TLS)", "reports/s", new Samples(rates)) { Target = Target.MedianAtLeast(5000) },
                new Figure($"the same over plain TCP (AllowInsecureAgents), {gateways:N0} gateways", "reports/s", new Samples(plainRates)),
                new Figure($"the same over TLS without the per-call agent credential check (baseline)", "reports/s", new Samples(uncheckedRates)),
                new Figure("memory per idle Gateway grain (managed heap, after full GC)", "KB", new Samples(heap.Select(h => h / 1024))) { Target = Target.MedianAtMost(20) },
                new Figure("memory per idle Gateway grain (RSS, after full GC)", "KB", new Samples(rss.Select(r => r / 1024))),
            ],
            Notes =
            [
                $"Reports: the real `stoker-silo` (local mode, in-memory state) with one GatewaySync of {gateways:N0} gateways (every report also reaches that one " +
                $"GatewaySync grain, the worst case for its roster); {processes} `{AgentFleetRole.Name}` processes register the gateways as `stoker-agent` does " +
                $"(took {registration.TotalSeconds:0.0} s) and then send `IGatewayAgentGrain.Report` with an agent's report of a one-file sync, closed loop, " +
                $"{concurrencyPerProcess} calls in flight per process, round-robin over the gateways. Completed calls are counted per window; the windows are " +
                $"aligned across processes on the system-wide monotonic clock. Each figure sample is one window; a first, warm-up window is not counted.{(failed > 0 ? $" {failed} calls failed." : "")}",
                $"The per-call check (docs/security.md, \"Agent credentials\"): every report carries its agent's own token (one per gateway, minted with the silo's key); " +
                $"the silo verifies each token once (HS256 signature, issuer, audience, expiry), then finds it by SHA-256 in its cache and checks the revocations and the " +
                $"gateway key on every call. The baseline is a second silo, same sizes, with `Stoker__Security__VerifyAgentCalls=false` (clients held to the agent " +
                $"interface, no credential asked), measured right after in the same run. Silo CPU per report: {PerReportMicros(cpu.Silo, allRates, window):0} µs checked, " +
                $"{PerReportMicros(uncheckedCpu.Silo, uncheckedAll, window):0} µs unchecked.{(uncheckedFailed > 0 ? $" {uncheckedFailed} unchecked calls failed." : "")}",
                $"CPU during all windows: silo {cpu.Silo / 1000:0.0} s, senders {cpu.Senders / 1000:0.0} s over {(windows + 1) * window.TotalSeconds:0} s of wall time " +
                $"(2 cores shared by all processes): {cpu.Silo / Math.Max(1, allRates.Sum() * window.TotalSeconds) * 1000:0} µs of silo CPU per report.",
                "Transport: the first figure is the default, TLS on the gateway port (the senders trust the silo's generated CA, as `SILO_CA_FILE`); the second " +
                $"is measured in the same run right after, against a fresh silo with `Stoker:Silo:AllowInsecureAgents=true`.{(plainFailed > 0 ? $" {plainFailed} plain-TCP calls failed." : "")} " +
                $"Silo CPU per report: {cpu.Silo / Math.Max(1, allRates.Sum() * window.TotalSeconds) * 1000:0} µs with TLS, " +
                $"{plainCpu.Silo / Math.Max(1, plainAllRates.Sum() * window.TotalSeconds) * 1000:0} µs without.",
                "Where the time goes (profiled while building this benchmark on this machine, not in this run): a report is three messages inside the silo: " +
                "the agent's call, the Gateway grain's state write (reports are kept there, once), and the one-way `GatewayChanged` summary to the GatewaySync grain, whose roster is aggregated " +
                "and written at most every 100 ms. Orleans' memory provider sent every state write as a message to one of 10 storage grains; local mode now " +
                "writes to an in-process store (`InProcessGrainStorage`: a serialization and a dictionary update), which under the same machine load raised " +
                "the rate from about 2,900 to about 4,700 reports/s when it was tried; on a quiet machine this run's figure is above.",
                $"Load average (1 / 5 / 15 min) after the report windows: {load} on {Environment.ProcessorCount} cores.",
                $"Memory: a silo composed as `stoker-silo` composes it (`AddStokerSilo`, local mode) hosted in a `{GrainMemoryRole.Name}` child process; after 500 " +
                $"warm-up activations, each sample activates {gateways:N0} more Gateway grains (`GetSnapshot`: an activation with its empty state loaded, no agent " +
                "session) and divides the growth of the managed heap (`GC.GetTotalMemory` after three forced, compacting full collections) and of RSS by the " +
                "number of grains.",
            ],
        };
    }

    private static double PerReportMicros(double siloCpuMs, IReadOnlyList<double> rates, TimeSpan window) =>
        siloCpuMs / Math.Max(1, rates.Sum() * window.TotalSeconds) * 1000;

    internal static int ParseSize(string size) =>
        int.TryParse(size.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000
            ? n
            : throw new ArgumentException($"--size: \"{size}\": must be a gateway count from 1 to 100000");

    private static async Task<(List<double> Rates, long Failed, TimeSpan Registration, (double Silo, double Senders) Cpu)> MeasureReportsAsync(
        BenchContext context, int gateways, int processes, int windows, TimeSpan window, int concurrency, IReadOnlyDictionary<string, string>? siloSettings, CancellationToken cancellationToken)
    {
        var insecure = siloSettings?.GetValueOrDefault("Stoker__Silo__AllowInsecureAgents") == "true";
        var repo = await LocalRepository.CreateAsync(Path.Join(context.WorkDirectory, siloSettings is null ? "repo" : "repo-" + Guid.NewGuid().ToString("N")[..8]), cancellationToken);
        context.Progress($"capacity: {gateways:N0} gateways: starting the silo ({(insecure ? "plain TCP" : "TLS")})");
        await using var silo = await SiloProcess.StartAsync(context, siloSettings, cancellationToken);
        await silo.ApplyAsync(Namespace, SyncName, PropagationBenchmark.Manifest(SyncName, repo.Path, polling: null), cancellationToken);
        var keys = Enumerable.Range(0, gateways).Select(i => $"{Namespace}/{SyncName}/gw-{i:D5}").ToList();
        var fleets = new List<AgentFleetProcess>();
        try
        {
            var registration = await AgentFleetProcess.StartAllAsync(context, silo, keys, processes, "reporters", TimeSpan.FromMinutes(4), fleets, cancellationToken);
            context.Progress($"capacity: {gateways:N0} agents registered in {registration.TotalSeconds:0.0} s; sending reports");

            // Every process starts its windows at the same monotonic instant, a little ahead so all are ready.
            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            var windowMs = (int)window.TotalMilliseconds;
            foreach (var fleet in fleets)
            {
                await fleet.SendAsync(FormattableString.Invariant($"report {start} {windowMs} {windows} {concurrency}"));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), context.Time, cancellationToken);
            var siloCpu = ProcessCpu.Milliseconds(silo.Pid);
            var sendersCpu = fleets.Sum(f => ProcessCpu.Milliseconds(f.Pid));
            var completed = new long[windows];
            long failed = 0;
            var timeout = window * windows + TimeSpan.FromSeconds(60);
            foreach (var fleet in fleets)
            {
                for (var i = 0; i < windows; i++)
                {
                    var words = await fleet.ExpectAsync("window", timeout, cancellationToken);
                    completed[int.Parse(words[1], CultureInfo.InvariantCulture)] += long.Parse(words[2], CultureInfo.InvariantCulture);
                    failed += long.Parse(words[3], CultureInfo.InvariantCulture);
                }

                await fleet.ExpectAsync("reported", timeout, cancellationToken);
            }

            var cpu = (ProcessCpu.Milliseconds(silo.Pid) - siloCpu, fleets.Sum(f => ProcessCpu.Milliseconds(f.Pid)) - sendersCpu);
            return ([.. completed.Select(c => c / window.TotalSeconds)], failed, registration, cpu);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- silo (last lines) ---\n{silo.Tail()}", e);
        }
        finally
        {
            await Task.WhenAll(fleets.Select(f => f.DisposeAsync().AsTask()));
        }
    }

    private static async Task<(List<double> Heap, List<double> Rss)> MeasureGrainMemoryAsync(BenchContext context, int grains, int batches, CancellationToken cancellationToken)
    {
        context.Progress($"capacity: memory of {grains:N0} idle Gateway grains × {batches}");
        var run = await MeasuredProcess.RunAsync("dotnet", [BenchContext.SelfDll, "child", GrainMemoryRole.Name, grains.ToString(CultureInfo.InvariantCulture), batches.ToString(CultureInfo.InvariantCulture)],
            context.WorkDirectory, null, cancellationToken);
        run.EnsureSuccess(GrainMemoryRole.Name);
        var heap = new List<double>();
        var rss = new List<double>();
        foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("batch ", StringComparison.Ordinal)))
        {
            var words = line.Split(' ');
            heap.Add(double.Parse(words[1], CultureInfo.InvariantCulture));
            rss.Add(double.Parse(words[2], CultureInfo.InvariantCulture));
        }

        return heap.Count == batches ? (heap, rss) : throw new InvalidOperationException($"{GrainMemoryRole.Name} printed {heap.Count} of {batches} batches: {run.StandardOutput}{run.StandardError}");
    }
}
