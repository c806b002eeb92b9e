using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Stoker.Bench.Core;
using Stoker.Bench.Data;
using Stoker.Bench.Git;

namespace Stoker.Bench.Sync;

/// <summary>
/// Issue 8, benchmark 2: incremental sync of a generated Ignition-like repository, ours (inside the long-running
/// agent, and <c>stoker-agent sync</c> as a process) against git clone/fetch + checkout + cp/rsync.
/// </summary>
public sealed class SyncBenchmark : IBenchmark
{
    private const int DefaultFiles = 20_000;
    private const int SmokeFiles = 300;
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(3);

    public string Name => "sync";

    public string Title => "Incremental sync";

    public string SizeHelp => $"number of files in the generated repository (about 10 KB each; default {DefaultFiles:N0}, smoke {SmokeFiles})";

    public async Task<BenchmarkResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = ParseSize(context);
        var loadAtStart = LoadAverage();
        var runs = context.RunsOr(5);
        // The initial sync clones and writes the whole repository three times over (baseline, process, agent): once, within the budget.
        const int initialRuns = 1;
        var repository = IgnitionRepositoryGenerator.Create(Path.Join(context.WorkDirectory, "repo"), files, runs, context.Progress);

        // Served over smart HTTP (lighttpd + git-http-backend), as a hosted repository is: git and libgit2 both fetch
        // packs that the server's git builds (libgit2's own file:// transport would build them in-process instead).
        await using var server = await GitHttpServer.StartAsync(Path.Join(context.WorkDirectory, "repo"), Dir(context, "http"), cancellationToken);
        var url = server.UrlFor(Path.GetFileName(repository.OriginPath));
        var resourceFile = Path.Join(context.WorkDirectory, "gatewaysync.yaml");
        await File.WriteAllTextAsync(resourceFile, BenchResource.Yaml(url, 0), cancellationToken);

        var baseline = new GitRsyncBaseline(Dir(context, "baseline"), url);
        var cli = new AgentCliSync(context, Dir(context, "cli"), url, resourceFile);

        // The same repository as a file:// URL (a mounted volume, the demo): stoker-agent sync reads it in place,
        // git clones and fetches it through its own local transport.
        var fileUrl = new Uri(repository.OriginPath).AbsoluteUri;
        var fileBaseline = new GitRsyncBaseline(Dir(context, "baseline-file"), fileUrl);
        var cliFile = new AgentCliSync(context, Dir(context, "cli-file"), fileUrl, resourceFile);
        var samples = new Dictionary<string, List<double>>();
        void Add(string key, double value) => (samples.TryGetValue(key, out var list) ? list : samples[key] = []).Add(value);
        var notes = new List<string>();
        var agentBreakdowns = new Dictionary<string, List<SyncBreakdown>>();
        var cliEngineMs = new Dictionary<string, List<double>>();
        var phases = new Dictionary<string, List<EnginePhases>>();
        void Phases(string key, string log)
        {
            if (EnginePhases.LastIn(log) is { } p)
            {
                (phases.TryGetValue(key, out var l) ? l : phases[key] = []).Add(p);
            }
        }

        await using var stack = await AgentStack.StartAsync(context, Dir(context, "stack"), cancellationToken);
        repository.MoveMain(repository.Commits[0]);
        await stack.ApplyAsync(url, 0, cancellationToken);

        // Initial full sync: a fresh clone each time.
        AgentHandle? agent = null;
        MemoryBreakdown? peakBreakdown = null;
        for (var i = 0; i < initialRuns; i++)
        {
            context.Progress($"sync: initial full sync {i + 1}/{initialRuns}");
            var b = await baseline.InitialAsync(cancellationToken);
            Add("baseline-initial", b.Elapsed.TotalSeconds);
            Add("git-peak", b.GitPeakRssKb / 1024.0);
            notes.Add($"Baseline initial run {i + 1}: {b.Steps}.");

            var c = await cli.InitialAsync(cancellationToken);
            Add("cli-initial", c.Elapsed.TotalSeconds);
            Add("cli-peak", c.PeakRssMb);
            Record(cliEngineMs, "initial", c);
            Phases("cli-initial", c.StandardError);

            var bf = await fileBaseline.InitialAsync(cancellationToken);
            Add("baseline-file-initial", bf.Elapsed.TotalSeconds);
            var cf = await cliFile.InitialAsync(cancellationToken);
            Add("cli-file-initial", cf.Elapsed.TotalSeconds);
            Record(cliEngineMs, "file-initial", cf);

            if (agent is not null)
            {
                Add("agent-peak", agent.PeakRssKb / 1024.0);
                await stack.StopAgentAsync(agent);
            }

            var agentWork = Dir(context, $"agent-{i}");
            agent = stack.StartAgent(Path.Join(agentWork, "repo"), Path.Join(agentWork, "data"));
            var started = Stopwatch.StartNew();
            var before = MetricsSnapshot.Parse("");
            using var stopSampling = new CancellationTokenSource();
            var largest = agent.LargestRssAsync(context, stopSampling.Token);

            // The initial sync (before the gateway runs), then the post-commission re-sync once the simulator answers.
            var afterInitial = await agent.WaitForSuccessesAsync(1, 0, SyncTimeout, "the agent's initial sync", cancellationToken);
            var initial = AgentHandle.Between(before, afterInitial);
            Add("agent-initial", initial.Total);
            (agentBreakdowns.TryGetValue("initial", out var l) ? l : agentBreakdowns["initial"] = []).Add(initial);
            Phases("agent-initial", agent.Process.Output);
            context.Progress($"sync: agent initial sync {initial.Total:0.00} s ({initial}); agent start to synced {started.Elapsed.TotalSeconds:0.0} s");
            await agent.WaitForSuccessesAsync(2, 0, SyncTimeout, "the agent's post-commission re-sync", cancellationToken);
            await stopSampling.CancelAsync();
            var (anonymousKb, fileKb, breakdown) = await largest;
            peakBreakdown = breakdown;
            notes.Add(FormattableString.Invariant(
                $"Agent memory at the largest sample (every 50 ms) of its initial sync and post-commission re-sync: {anonymousKb / 1024.0:0} MB anonymous (.NET heap, libgit2's heap, runtime) and {fileKb / 1024.0:0} MB file-backed (mapped pack windows, code)."));
        }

        // The 10-file change, then the unchanged re-sync, each alternating ours and the baseline.
        var successes = 2.0;
        for (var i = 1; i <= runs; i++)
        {
            context.Progress($"sync: 10-file change {i}/{runs}");
            repository.MoveMain(repository.Commits[i]);
            var b = await baseline.UpdateAsync(cancellationToken);
            Add("baseline-change", b.Elapsed.TotalSeconds);
            Add("git-peak", b.GitPeakRssKb / 1024.0);
            if (i == 1)
            {
                notes.Add($"Baseline 10-file change, run 1: {b.Steps}.");
            }

            var c = await cli.SyncAsync(cancellationToken);
            Add("cli-change", c.Elapsed.TotalSeconds);
            Add("cli-peak", c.PeakRssMb);
            Record(cliEngineMs, "change", c);
            Phases("cli-change", c.StandardError);

            Add("baseline-file-change", (await fileBaseline.UpdateAsync(cancellationToken)).Elapsed.TotalSeconds);
            var cf = await cliFile.SyncAsync(cancellationToken);
            Add("cli-file-change", cf.Elapsed.TotalSeconds);
            Record(cliEngineMs, "file-change", cf);

            var (inAgent, outside) = await AgentSyncAsync(stack, agent!, ++successes, () => stack.PushAsync(repository.Commits[i], cancellationToken), cancellationToken);
            Add("agent-change", inAgent.Total);
            Add("agent-change-outside", outside);
            (agentBreakdowns.TryGetValue("change", out var l) ? l : agentBreakdowns["change"] = []).Add(inAgent);
            Phases("agent-change", agent!.Process.Output);
        }

        for (var i = 1; i <= runs; i++)
        {
            context.Progress($"sync: unchanged re-sync {i}/{runs}");
            var b = await baseline.UpdateAsync(cancellationToken);
            Add("baseline-unchanged", b.Elapsed.TotalSeconds);
            if (i == 1)
            {
                notes.Add($"Baseline unchanged re-sync, run 1: {b.Steps}.");
            }

            var c = await cli.SyncAsync(cancellationToken);
            Add("cli-unchanged", c.Elapsed.TotalSeconds);
            Record(cliEngineMs, "unchanged", c);
            Phases("cli-unchanged", c.StandardError);

            Add("baseline-file-unchanged", (await fileBaseline.UpdateAsync(cancellationToken)).Elapsed.TotalSeconds);
            var cf = await cliFile.SyncAsync(cancellationToken);
            Add("cli-file-unchanged", cf.Elapsed.TotalSeconds);
            Record(cliEngineMs, "file-unchanged", cf);

            // A new desired state on the same commit: an unused profile variable changes.
            var nonce = i;
            var (inAgent, outside) = await AgentSyncAsync(stack, agent!, ++successes, () => stack.ApplyAsync(url, nonce, cancellationToken), cancellationToken);
            Add("agent-unchanged", inAgent.Total);
            (agentBreakdowns.TryGetValue("unchanged", out var l) ? l : agentBreakdowns["unchanged"] = []).Add(inAgent);
            Phases("agent-unchanged", agent!.Process.Output);
        }

        Add("agent-peak", agent!.PeakRssKb / 1024.0);
        var idle = await agent.IdleRssAsync(context, cancellationToken);
        Add("agent-idle", idle.Kb / 1024.0);
        notes.Add(idle.Note);
        if (peakBreakdown is not null && idle.Breakdown is not null)
        {
            notes.Add("Where the agent's resident memory goes, by mapping (/proc/<pid>/smaps Rss; the managed heap is part of the anonymous line, its size after the idle compaction is in the agent's log above):"
                + MemoryBreakdown.Table([("largest sample, initial sync", peakBreakdown), ("idle after the last sync", idle.Breakdown)]));
        }

        notes.Add($"Load average (1 min) at the start and the end of this benchmark: {loadAtStart} and {LoadAverage()} on {Environment.ProcessorCount} cores; "
            + "ours and the baseline alternate within each repetition, so both see the same load.");
        notes.Insert(0, await CompareAsync(baseline.DataDirectory,
            [("stoker-agent sync", cli.DataDirectory), ("the agent", Path.Join(Dir(context, $"agent-{initialRuns - 1}"), "data")),
             ("stoker-agent sync over file://", cliFile.DataDirectory), ("the git baseline over file://", fileBaseline.DataDirectory)], cancellationToken));
        return Result(repository, runs, initialRuns, samples, agentBreakdowns, cliEngineMs, phases, notes);
    }

    private static async Task<(SyncBreakdown InAgent, double Outside)> AgentSyncAsync(
        AgentStack stack, AgentHandle agent, double successes, Func<Task> trigger, CancellationToken cancellationToken)
    {
        var before = await agent.MetricsAsync(cancellationToken);
        var errors = before[AgentHandle.ErrorSeries];
        var clock = Stopwatch.StartNew();
        await trigger();
        var after = await agent.WaitForSuccessesAsync(successes, errors, SyncTimeout, $"sync number {successes} in the agent", cancellationToken);
        var outside = clock.Elapsed.TotalSeconds;
        _ = stack;
        return (AgentHandle.Between(before, after), outside);
    }

    private static void Record(Dictionary<string, List<double>> into, string key, ProcessMeasurement run)
    {
        using var report = JsonDocument.Parse(run.StandardOutput);
        if (report.RootElement.TryGetProperty("durationMs", out var ms) && ms.TryGetDouble(out var value))
        {
            (into.TryGetValue(key, out var l) ? l : into[key] = []).Add(value);
        }
    }

    private static BenchmarkResult Result(
        IgnitionRepository repository, int runs, int initialRuns, Dictionary<string, List<double>> samples,
        Dictionary<string, List<SyncBreakdown>> agentBreakdowns, Dictionary<string, List<double>> cliEngineMs, Dictionary<string, List<EnginePhases>> phases, List<string> notes)
    {
        Samples S(string key) => new(samples[key]);
        const string Update = "git fetch + git checkout + rsync -a --delete";
        var figures = new List<Figure>
        {
            new("10-file change, in the agent", "s", S("agent-change")) { BaselineName = Update, Baseline = S("baseline-change"), Target = Target.RatioAtMost(0.25) },
            new("unchanged re-sync, in the agent", "s", S("agent-unchanged")) { BaselineName = Update + " (unchanged commit)", Baseline = S("baseline-unchanged"), Target = Target.RatioAtMost(0.1) },
            new("initial full sync, in the agent", "s", S("agent-initial")) { BaselineName = "git clone + cp -a", Baseline = S("baseline-initial"), Target = Target.RatioAtMost(0.8) },
            new("10-file change, stoker-agent sync process", "s", S("cli-change")) { BaselineName = Update, Baseline = S("baseline-change"), Target = Target.RatioAtMost(1.0) },
            new("unchanged re-sync, stoker-agent sync process", "s", S("cli-unchanged")) { BaselineName = Update + " (unchanged commit)", Baseline = S("baseline-unchanged") },
            new("initial full sync, stoker-agent sync process", "s", S("cli-initial")) { BaselineName = "git clone + cp -a", Baseline = S("baseline-initial") },
            new("10-file change, stoker-agent sync process, file://", "s", S("cli-file-change")) { BaselineName = Update + ", file://", Baseline = S("baseline-file-change"), Target = Target.RatioAtMost(1.0) },
            new("unchanged re-sync, stoker-agent sync process, file://", "s", S("cli-file-unchanged")) { BaselineName = Update + " (unchanged commit), file://", Baseline = S("baseline-file-unchanged") },
            new("initial full sync, stoker-agent sync process, file://", "s", S("cli-file-initial")) { BaselineName = "git clone + cp -a, file://", Baseline = S("baseline-file-initial") },
            new("agent peak RSS (VmHWM)", "MB", S("agent-peak")) { BaselineName = "git CLI peak RSS across clone/fetch/checkout", Baseline = S("git-peak"), Target = Target.MedianAtMost(120) },
            new("agent idle RSS after sync (VmRSS)", "MB", S("agent-idle")) { Target = Target.MedianAtMost(60) },
            new("stoker-agent sync process peak RSS", "MB", S("cli-peak")) { BaselineName = "git CLI peak RSS across clone/fetch/checkout", Baseline = S("git-peak") },
            new("10-file change, webhook → agent reported, seen from outside", "s", S("agent-change-outside")),
        };

        string Phases(string key) => agentBreakdowns.TryGetValue(key, out var list)
            ? MetricsSnapshot.Describe([("fetch", Median(list.Select(b => b.Fetch))), ("engine", Median(list.Select(b => b.Engine))), ("scan", Median(list.Select(b => b.Scan)))])
            : "none";
        string EngineOf(string key) => EnginePhases.Describe(phases.TryGetValue(key, out var list) ? list : []);
        string Engine(string key) => cliEngineMs.TryGetValue(key, out var list) ? FormattableString.Invariant($"{Median(list):0} ms") : "n/a";
        notes.InsertRange(0,
        [
            $"Repository: {repository.FileCount:N0} files, {repository.TotalBytes / 1024.0 / 1024.0:0} MB of generated Ignition-like content (views, scripts, resource.json, tags, config, "
                + $"images), mapped into the data directory by {IgnitionRepository.Mappings.Count} directory mappings; each change commit modifies 8 files, adds 1 and deletes 1. "
                + "Served over smart HTTP by lighttpd + git-http-backend from a packed bare repository (git fast-import), to the agent, stoker-agent sync and the git CLI alike.",
            "In the agent: a real stoker-silo, ignition-simulator and `stoker-agent run`; commits arrive by a signed push webhook, the unchanged re-sync by re-applying the "
                + "resource with an unused profile variable changed (a new desired state on the same commit). The time is the agent's own: the increase of its "
                + "fetch (clone), sync-engine and scan histograms' sums over the sync (the designer-session query and the report call are not in it). "
                + "The figure seen from outside adds the webhook's propagation and 20 ms metrics polling.",
            $"Agent phases (medians): 10-file change: {Phases("change")}; unchanged re-sync: {Phases("unchanged")}; initial: {Phases("initial")} (initial: the clone and the engine; a health check, not a scan).",
            $"Sync engine phases in the agent, from its log (medians; plan = load the manifest, resolve, desired tree from the tree diff; compare = scan the live tree and compare; "
                + $"apply = delete, write, save the manifest): 10-file change: {EngineOf("agent-change")}; unchanged: {EngineOf("agent-unchanged")}; initial: {EngineOf("agent-initial")}. "
                + $"In stoker-agent sync: 10-file change: {EngineOf("cli-change")}; unchanged: {EngineOf("cli-unchanged")}; initial: {EngineOf("cli-initial")}.",
            $"stoker-agent sync engine time (report durationMs, medians): 10-file change {Engine("change")}, unchanged {Engine("unchanged")}, initial {Engine("initial")}; "
                + "the rest of the process time is .NET start-up, reading the resource and the git fetch.",
            $"file:// rows: the same repository given to `stoker-agent sync` and to git as a file:// URL (a repository on a mounted volume, the demo). "
                + "The agent reads it in place through objects/info/alternates, with no fetch (docs/sync-engine.md, Git). Before that change libgit2's local transport "
                + "built the packs in-process: at 20,000 files this benchmark measured the initial file:// sync at 24.5 s (git clone + cp -a: 10.0 s) and the 10-file "
                + "change at 1.3 s (git: 1.1 s); issue 11 reports ~25 s for a one-commit change in its setup, which this benchmark's repository did not reproduce. "
                + "git, given a file:// URL, clones and fetches through its own pack protocol (no hard links). "
                + $"Engine time (report durationMs, medians): 10-file change {Engine("file-change")}, unchanged {Engine("file-unchanged")}, initial {Engine("file-initial")}.",
            "Where the time goes (incremental): in the agent, a change feed (inotify) stands in for the stat pass over every managed file, and the "
                + "comparison covers only the files the commit's tree diff re-decided or the feed reported (docs/sync-engine.md, The change feed); the full "
                + "verification runs every VERIFY_INTERVAL (600 s) instead. What is left of an agent sync is the tree diff, the desired tree rebuilt from the "
                + "manifest (20,000 entries), the writes and the manifest's fsync. stoker-agent sync has no feed between runs, so each run stats every "
                + "managed file and lists every directory (the verification that catches drift and orphans; rsync does as much on both sides): that scan is "
                + "its compare phase. Its manifest is binary (one pass; the JSON manifest took 250–360 ms of a cold process) and the process runs without "
                + "dynamic PGO (15% off a cold run). Earlier in this issue: per-sync glob regexes (2.0–2.6 s), re-reading the manifest in the agent, "
                + "rewriting an unchanged manifest.",
            "Where the time goes (initial): the apply phase writes every file. Each blob is looked up once in libgit2 (size and content from one "
                + "inflation) and copied from native memory to its file (docs/sync-engine.md, Memory); LibGit2Sharp's Blob had inflated it twice (size, "
                + "then content), and an earlier version a third time (a fresh lookup). The clone itself (libgit2 over smart HTTP) is close to git's.",
            "Where the memory goes (docs/sync-engine.md, Memory): the agent is a .NET process with the Orleans client, ASP.NET health and metrics "
                + "servers and libgit2; its code alone (runtime, assemblies, libgit2, JIT-compiled code) is most of its idle resident set (the table below). A sync of this "
                + "repository adds the manifest, desired and live trees of 20,000 entries, the libgit2 indexer's tables during the clone and the pack "
                + "windows libgit2 maps (bounded to 32 MB by the agent). The agent runs workstation, non-concurrent GC with ConserveMemory and compacts "
                + "its heap a second after the last sync; the managed heap is then about 20 MB. git's index-pack streams the pack in under 20 MB.",
            "What would close the missed targets (issue 13; not done yet): initial sync ≤ 0.8× — the apply phase writes each file through a temporary "
                + "file, a rename and the containment checks (about 4.6 s against cp -a's 2.2 s); an initial sync has no earlier content to protect, so "
                + "it could write straight into a staging folder (crash safety from the manifest written last and the folder renamed into place), in "
                + "parallel on both cores. Peak RSS ≤ 120 MB — stream the git tree walk into the writes and the manifest instead of holding the desired, "
                + "live and manifest trees of 20,000 entries at once, and trim the native heap right after the clone (libgit2's indexer tables). Idle "
                + "RSS ≤ 60 MB — code is most of it (assemblies, runtime, libgit2, JIT-compiled code, about 90 MB): a trimmed ReadyToRun or Native AOT "
                + "agent, health and metrics served without ASP.NET, or a small resident process that starts a sync worker per sync.",
            $"Repetitions: {runs} for the incremental figures, {initialRuns} for the initial sync (a fresh clone each; the agent is restarted with empty folders). "
                + "Peak RSS: the agent's VmHWM after all its syncs (one sample per agent process); the baseline's is GNU time's maximum RSS per git step (clone, fetch, checkout; "
                + "git's child processes included), one sample per pipeline run.",
        ]);
        return new BenchmarkResult("sync", "Incremental sync")
        {
            Parameters = new Dictionary<string, string>
            {
                ["files"] = repository.FileCount.ToString("N0", CultureInfo.InvariantCulture),
                ["size"] = $"{repository.TotalBytes / 1024.0 / 1024.0:0} MB",
                ["changed files per commit"] = repository.FilesPerChange.ToString(CultureInfo.InvariantCulture),
                ["runs"] = runs.ToString(CultureInfo.InvariantCulture),
                ["initial runs"] = initialRuns.ToString(CultureInfo.InvariantCulture),
            },
            Figures = figures,
            Notes = notes,
        };
    }

    /// <summary>Checks that the three data directories ended up identical (diff -r), so the times compare the same work.</summary>
    private static async Task<string> CompareAsync(string baseline, (string Name, string Directory)[] others, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var (name, other) in others)
        {
            var diff = await MeasuredProcess.RunAsync("diff", ["-rq", baseline, other], baseline, cancellationToken: cancellationToken);
            if (diff.ExitCode != 0)
            {
                problems.Add($"{name}'s data directory differs from the baseline's: {string.Join("; ", diff.StandardOutput.Split('\n').Take(5))}");
            }
        }

        return problems.Count == 0
            ? "Check: after the last run, the agent's, `stoker-agent sync`'s (smart HTTP and file://) and the baselines' data directories are identical (diff -r)."
            : throw new InvalidOperationException(string.Join('\n', problems));
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Median(IEnumerable<double> values) => new Samples(values).Median;

    private static string Dir(BenchContext context, string name) => Directory.CreateDirectory(Path.Join(context.WorkDirectory, name)).FullName;

    private static int ParseSize(BenchContext context)
    {
        if (context.Size is null)
        {
            return context.Smoke ? SmokeFiles : DefaultFiles;
        }

        return int.TryParse(context.Size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var files) && files is >= 100 and <= 1_000_000
            ? files
            : throw new ArgumentException($"--size: \"{context.Size}\": must be a whole number of files between 100 and 1,000,000 (e.g. 20000)");
    }
}
