using Stoker.Bench.Core;
using Stoker.Bench.Data;

namespace Stoker.Bench.Sync;

/// <summary>One run of a pipeline of commands: total wall time, the peak RSS of its git steps and of all its steps.</summary>
internal sealed record PipelineRun(TimeSpan Elapsed, long GitPeakRssKb, long PeakRssKb, string Steps);

/// <summary>
/// The baseline: what a script beside the gateway would do with the git command line. Initial: <c>git clone</c> then
/// <c>cp -a</c> of each mapped folder; afterwards <c>git fetch</c>, <c>git checkout</c> of the fetched main and
/// <c>rsync -a --delete</c> of each mapped folder. Each step runs under GNU time.
/// </summary>
internal sealed class GitRsyncBaseline(string work, string url)
{
    private readonly string _clone = Path.Join(work, "clone");

    public string DataDirectory { get; } = Path.Join(work, "data");

    public async Task<PipelineRun> InitialAsync(CancellationToken cancellationToken)
    {
        Program.TryDelete(_clone);
        Program.TryDelete(DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        var steps = new List<(string Name, bool Git, ProcessMeasurement Run)>
        {
            ("git clone", true, await RunAsync("git", ["clone", "-q", url, _clone], work, cancellationToken)),
        };
        foreach (var m in IgnitionRepository.Mappings)
        {
            var destination = Path.Join(DataDirectory, m.Destination);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            steps.Add(("cp -a", false, await RunAsync("cp", ["-a", Path.Join(_clone, m.Source), destination], work, cancellationToken)));
        }

        return Summarize(steps);
    }

    public async Task<PipelineRun> UpdateAsync(CancellationToken cancellationToken)
    {
        var steps = new List<(string Name, bool Git, ProcessMeasurement Run)>
        {
            ("git fetch", true, await RunAsync("git", ["-C", _clone, "fetch", "-q", "origin"], work, cancellationToken)),
            ("git checkout", true, await RunAsync("git", ["-C", _clone, "checkout", "-q", "--detach", "origin/main"], work, cancellationToken)),
        };
        foreach (var m in IgnitionRepository.Mappings)
        {
            steps.Add(("rsync -a --delete", false, await RunAsync("rsync", ["-a", "--delete", Path.Join(_clone, m.Source) + "/", Path.Join(DataDirectory, m.Destination) + "/"], work, cancellationToken)));
        }

        return Summarize(steps);
    }

    private static async Task<ProcessMeasurement> RunAsync(string file, string[] args, string directory, CancellationToken cancellationToken) =>
        (await MeasuredProcess.RunAsync(file, args, directory, cancellationToken: cancellationToken)).EnsureSuccess($"{file} {string.Join(' ', args)}");

    private static PipelineRun Summarize(List<(string Name, bool Git, ProcessMeasurement Run)> steps)
    {
        var byName = steps.GroupBy(s => s.Name).Select(g => (g.Key, Seconds: g.Sum(s => s.Run.Elapsed.TotalSeconds)));
        return new PipelineRun(
            TimeSpan.FromTicks(steps.Sum(s => s.Run.Elapsed.Ticks)),
            steps.Where(s => s.Git).Max(s => s.Run.PeakRssKb),
            steps.Max(s => s.Run.PeakRssKb),
            MetricsSnapshot.Describe(byName));
    }
}

/// <summary><c>stoker-agent sync</c> as a whole process (start-up included), with a work directory kept between runs.</summary>
internal sealed class AgentCliSync(BenchContext context, string work, string url, string resourceFile)
{
    private readonly string _work = Path.Join(work, "work");

    public string DataDirectory { get; } = Path.Join(work, "data");

    public Task<ProcessMeasurement> InitialAsync(CancellationToken cancellationToken)
    {
        Program.TryDelete(_work);
        Program.TryDelete(DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        return SyncAsync(cancellationToken);
    }

    public async Task<ProcessMeasurement> SyncAsync(CancellationToken cancellationToken)
    {
        var dll = Path.Join(context.ProgramDirectory("Stoker.AgentClient"), "stoker-agent.dll");
        var run = await MeasuredProcess.RunAsync("dotnet",
            [dll, "sync", "--resource", resourceFile, "--profile", BenchResource.Profile, "--repo", url, "--ref", "main",
             "--data", DataDirectory, "--work", _work, "--gateway-name", "plant-gw", "--pod-name", "plant-gw-0"],
            work, cancellationToken: cancellationToken);
        return run.EnsureSuccess("stoker-agent sync");
    }
}
