using System.Diagnostics;
using System.Globalization;
using Stoker.Bench.Core;

namespace Stoker.Bench.Sync;

/// <summary>
/// A real <c>stoker-silo</c>, a real <c>ignition-simulator</c> and <c>stoker-agent run</c> processes, driven only
/// through the silo's apply API and webhook receiver, as in local mode (docs/local-mode.md).
/// </summary>
internal sealed class AgentStack : IAsyncDisposable
{
    private const string ApiToken = "stoker:bench-token";
    private static readonly string[] AgentVariables =
        [.. Stoker.AgentClient.Runtime.AgentOptions.Settings.Select(s => s.Variable), "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID"];

    private readonly BenchContext _context;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<ChildProcess> _processes = [];
    private readonly string _tokenFile;
    private SiloProcess? _silo;
    private int _simulatorPort;

    private AgentStack(BenchContext context, string work)
    {
        _context = context;
        _tokenFile = Path.Join(work, "api-token");
        File.WriteAllText(_tokenFile, ApiToken);
    }

    public string Diagnostics => string.Join('\n', _processes.Select(p => p.Output).Prepend(_silo?.Output ?? ""));

    private SiloProcess Silo => _silo ?? throw new InvalidOperationException("the stack has not started");

    public static async Task<AgentStack> StartAsync(BenchContext context, string work, CancellationToken cancellationToken)
    {
        var stack = new AgentStack(context, work);
        try
        {
            await stack.StartSiloAndSimulatorAsync(cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartSiloAndSimulatorAsync(CancellationToken cancellationToken)
    {
        _silo = await SiloProcess.StartAsync(_context, null, cancellationToken);

        _simulatorPort = ChildProcess.FreePort();
        _processes.Add(ChildProcess.StartDotnet("ignition-simulator", Path.Join(_context.ProgramDirectory("Stoker.IgnitionSimulator"), "ignition-simulator.dll"),
            ["--urls", $"http://127.0.0.1:{_simulatorPort}", "--api-token", ApiToken, "--gateway-name", "plant-gw"],
            new Dictionary<string, string>(), ["IGNITION_SIM_"]));
    }

    /// <summary>Applies the benchmark's resource (PUT through the apply API).</summary>
    public Task ApplyAsync(string repoUrl, int nonce, CancellationToken cancellationToken) =>
        Silo.ApplyAsync(BenchResource.Namespace, BenchResource.Name, BenchResource.Yaml(repoUrl, nonce), cancellationToken);

    /// <summary>A signed GitHub push webhook for <paramref name="commit"/> on main.</summary>
    public Task PushAsync(string commit, CancellationToken cancellationToken) =>
        Silo.PushAsync(BenchResource.Namespace, BenchResource.Name, commit, cancellationToken);

    /// <summary>Starts a <c>stoker-agent run</c> for the gateway <c>plant-gw</c> with its own work and data folders.</summary>
    public AgentHandle StartAgent(string repoPath, string dataPath)
    {
        var metricsPort = ChildProcess.FreePort();
        // The agent's credential for its one gateway, minted with the silo's key as `stoker agent-token create` would.
        var agentToken = Path.Join(Path.GetDirectoryName(_tokenFile)!, "agent-token-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(agentToken, new Stoker.Silo.Security.AgentTokenCodec(Stoker.Silo.Security.AgentTokenKey.Load(Silo.AgentTokenKeyFile))
            .Mint($"{BenchResource.Namespace}/{BenchResource.Name}/plant-gw", TimeProvider.System.GetUtcNow(), TimeSpan.FromDays(1)).Token);
        var process = ChildProcess.StartDotnet("stoker-agent run", Path.Join(_context.ProgramDirectory("Stoker.AgentClient"), "stoker-agent.dll"), ["run"],
            new Dictionary<string, string>
            {
                ["CR_NAME"] = BenchResource.Name,
                ["CR_NAMESPACE"] = BenchResource.Namespace,
                ["POD_NAME"] = "plant-gw-0",
                ["GATEWAY_NAME"] = "plant-gw",
                ["PROFILE"] = BenchResource.Profile,
                ["REPO_PATH"] = repoPath,
                ["DATA_PATH"] = dataPath,
                ["GATEWAY_PORT"] = _simulatorPort.ToString(CultureInfo.InvariantCulture),
                ["API_KEY_FILE"] = _tokenFile,
                ["AGENT_TOKEN_FILE"] = agentToken,
                ["SILO_ENDPOINTS"] = "127.0.0.1:" + Silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
                ["SILO_CA_FILE"] = Silo.CaFile,
                ["ORLEANS_CLUSTER_ID"] = Silo.ClusterId,
                ["ORLEANS_SERVICE_ID"] = Silo.ServiceId,
                ["HEARTBEAT_INTERVAL"] = "5",
                ["POST_COMMISSION_INTERVAL"] = "1",
                ["HEALTH_PORT"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                ["METRICS_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            },
            AgentVariables);
        _processes.Add(process);
        return new AgentHandle(this, process, metricsPort);
    }

    public async Task StopAgentAsync(AgentHandle agent)
    {
        _processes.Remove(agent.Process);
        await agent.Process.DisposeAsync();
    }

    internal async Task<MetricsSnapshot?> MetricsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            var text = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken);
            return MetricsSnapshot.Parse(text);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="done"/> every 20 ms until it holds; throws with every process's output at the deadline.</summary>
    internal async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > timeout || _processes.Any(p => p.HasExited))
            {
                throw new TimeoutException($"waited {clock.Elapsed.TotalSeconds:0} s for {what}\n{Diagnostics}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _context.Time, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Agents first (they would otherwise retry against a silo that is going away), then the simulator and the silo.
        foreach (var process in Enumerable.Reverse(_processes).ToList())
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _http.Dispose();
    }
}

/// <summary>One agent process, with what its metrics say about each sync.</summary>
internal sealed class AgentHandle(AgentStack stack, ChildProcess process, int metricsPort)
{
    private const string Profile = BenchResource.Profile;

    public ChildProcess Process { get; } = process;

    /// <summary>The agent's peak RSS so far (VmHWM), in KB.</summary>
    public long PeakRssKb => MeasuredProcess.PeakRssKb(Process.Id);

    /// <summary>
    /// The agent's resident set once it is idle after its last sync: VmRSS sampled every 500 ms until three samples in a
    /// row are within 1 MB of each other (at most 20 s; an idle agent only heartbeats), with the note that describes it.
    /// </summary>
    public async Task<(long Kb, string Note, MemoryBreakdown? Breakdown)> IdleRssAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var samples = new List<long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            samples.Add(MeasuredProcess.RssKb(Process.Id));
            if (samples.Count >= 3 && samples[^3..].Max() - samples[^3..].Min() <= 1024)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), context.Time, cancellationToken);
        }

        var (anonymous, file) = RssParts(Process.Id);
        var breakdown = MemoryBreakdown.Of(Process.Id);
        var compaction = LastCompaction() is { } c ? $" The agent's own log at the idle compaction: {c}." : "";
        var waited = clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var anonymousMb = (anonymous / 1024.0).ToString("0", CultureInfo.InvariantCulture);
        var fileMb = (file / 1024.0).ToString("0", CultureInfo.InvariantCulture);
        return (samples[^1],
            $"Agent idle RSS: VmRSS of `stoker-agent run` after its last sync, once three samples 500 ms apart agree within 1 MB ({waited} s after the sync); "
            + $"of it {anonymousMb} MB anonymous (the .NET heap, libgit2's and the runtime's native memory) and {fileMb} MB file-backed (the runtime's and libgit2's code, mapped assemblies)." + compaction,
            breakdown);
    }

    /// <summary>
    /// Samples the agent's resident set every 50 ms until <paramref name="stop"/> is cancelled; returns the largest
    /// sample split into anonymous and file-backed memory (KB).
    /// </summary>
    public async Task<(long AnonymousKb, long FileKb, MemoryBreakdown? Breakdown)> LargestRssAsync(BenchContext context, CancellationToken stop)
    {
        (long AnonymousKb, long FileKb, MemoryBreakdown? Breakdown) largest = (0, 0, null);
        while (!stop.IsCancellationRequested)
        {
            var sample = RssParts(Process.Id);
            if (sample.AnonymousKb + sample.FileKb > largest.AnonymousKb + largest.FileKb)
            {
                // smaps is read only at a new largest sample: it costs a few milliseconds of the agent's kernel time.
                largest = (sample.AnonymousKb, sample.FileKb, MemoryBreakdown.Of(Process.Id));
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), context.Time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return largest;
    }

    /// <summary>The agent's last "Idle after a sync" log line (its managed heap after the idle compaction), or null.</summary>
    public string? LastCompaction() =>
        Process.Output.Split('\n').LastOrDefault(l => l.Contains("Idle after a sync:", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf("Idle after a sync:", StringComparison.Ordinal) + "Idle after a sync:".Length)..].Trim()
            : null;

    private static (long AnonymousKb, long FileKb) RssParts(int pid)
    {
        long anonymous = 0, file = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                static long Kb(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    anonymous = Kb(line);
                }
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                {
                    file = Kb(line);
                }
            }
        }
        catch (IOException)
        {
        }

        return (anonymous, file);
    }

    public static string SuccessSeries => $"stoker_agent_sync_total{{profile=\"{Profile}\",result=\"success\"}}";

    public static string ErrorSeries => $"stoker_agent_sync_total{{profile=\"{Profile}\",result=\"error\"}}";

    public async Task<MetricsSnapshot> MetricsAsync(CancellationToken cancellationToken) =>
        await stack.MetricsAsync(metricsPort, cancellationToken) ?? MetricsSnapshot.Parse("");

    /// <summary>Waits until the agent has completed <paramref name="successes"/> successful syncs in all (a failed one throws).</summary>
    public async Task<MetricsSnapshot> WaitForSuccessesAsync(double successes, double errorsBefore, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        MetricsSnapshot? last = null;
        await stack.UntilAsync(
            async () =>
            {
                last = await stack.MetricsAsync(metricsPort, cancellationToken);
                if (last is not null && last[ErrorSeries] > errorsBefore)
                {
                    throw new InvalidOperationException($"the agent reported a failed sync while waiting for {what}\n{stack.Diagnostics}");
                }

                return last is not null && last[SuccessSeries] >= successes;
            },
            timeout,
            what,
            cancellationToken);
        return last!;
    }

    /// <summary>
    /// The agent's own account of one sync, from the differences of its histograms' sums: the git fetch (or clone),
    /// the sync engine, and the gateway scan call. Their sum is the time from the desired state being taken up to
    /// the report being sent, less the designer-session query and the report call itself.
    /// </summary>
    public static SyncBreakdown Between(MetricsSnapshot before, MetricsSnapshot after)
    {
        double Delta(string series) => after[series] - before[series];
        var fetch = Delta("stoker_agent_git_fetch_duration_seconds_sum{operation=\"fetch\"}") + Delta("stoker_agent_git_fetch_duration_seconds_sum{operation=\"clone\"}");
        var engine = Delta($"stoker_agent_sync_duration_seconds_sum{{profile=\"{Profile}\"}}");
        var scan = Delta("stoker_agent_scan_duration_seconds_sum");
        return new SyncBreakdown(fetch, engine, scan);
    }
}

/// <summary>Seconds spent in each phase of one sync in the agent.</summary>
internal sealed record SyncBreakdown(double Fetch, double Engine, double Scan)
{
    public double Total => Fetch + Engine + Scan;

    public override string ToString() => MetricsSnapshot.Describe([("fetch", Fetch), ("engine", Engine), ("scan", Scan)]);
}
