using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LibGit2Sharp;
using Stoker.Sync.Git;
using Stoker.Bench.Core;

namespace Stoker.Bench.Git;

/// <summary>What the child reports on its last stdout line.</summary>
/// <param name="Commit">The commit the ref resolved to.</param>
/// <param name="ElapsedMs">The git work alone, timed inside the process (no .NET start-up).</param>
/// <param name="StartRssKb">Peak RSS before the git work: the runtime and the loaded assemblies.</param>
/// <param name="PeakRssKb">Peak RSS at the end (VmHWM).</param>
/// <param name="SampledPeakAnonKb">At the largest RSS sampled during the git work (every 10 ms): anonymous memory (heaps: libgit2's and .NET's).</param>
/// <param name="SampledPeakFileKb">At that same sample: file-backed pages (mapped pack files, the runtime's and native libraries' images).</param>
/// <param name="ManagedHeapKb">The .NET heap at the end of the git work.</param>
public sealed record GitChildReport(string Commit, double ElapsedMs, long StartRssKb, long PeakRssKb, long SampledPeakAnonKb, long SampledPeakFileKb, long ManagedHeapKb);

/// <summary>
/// <c>stoker-bench child git-checkout agent|libgit2-shallow &lt;work&gt; &lt;remote&gt; &lt;ref&gt;</c>: one clone or
/// fetch in a process of its own, so its peak RSS is measurable. <c>agent</c> is the agent's own code path
/// (<see cref="GitCheckout.Fetch"/>: a bare repository in the work folder, created on first use, fetched into after);
/// <c>libgit2-shallow</c> is LibGit2Sharp's <c>Repository.Clone</c> with depth 1 — not our code, for comparison.
/// </summary>
public sealed class GitCheckoutRole : IChildRole
{
    public const string Name = "git-checkout";

    public string Role => Name;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 4 || args[0] is not ("agent" or "libgit2-shallow"))
        {
            await Console.Error.WriteLineAsync("usage: stoker-bench child git-checkout agent|libgit2-shallow <work> <remote> <ref>");
            return 2;
        }

        var (mode, work, remote, gitRef) = (args[0], args[1], args[2], args[3]);
        var startRss = MeasuredProcess.PeakRssKb(Environment.ProcessId);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(() => SampleAsync(sampling.Token), CancellationToken.None);
        var started = Stopwatch.GetTimestamp();
        string commit;
        try
        {
            commit = mode == "agent" ? new GitCheckout(work, remote).Fetch(gitRef, cancellationToken) : ShallowClone(work, remote, gitRef);
        }
        catch (Exception e) when (e is GitCheckoutException or LibGit2SharpException)
        {
            await Console.Error.WriteLineAsync($"git-checkout {mode}: {e.Message}");
            return 1;
        }
        finally
        {
            await sampling.CancelAsync();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var (anon, file) = await sampler;
        var report = new GitChildReport(commit, elapsed.TotalMilliseconds, startRss, MeasuredProcess.PeakRssKb(Environment.ProcessId), anon, file,
            GC.GetTotalMemory(forceFullCollection: false) / 1024);
        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report));
        return 0;
    }

    /// <summary>Samples /proc/self/status until cancelled; returns the anonymous and file-backed RSS at the largest total seen.</summary>
    private static async Task<(long AnonKb, long FileKb)> SampleAsync(CancellationToken cancellationToken)
    {
        var best = (Total: 0L, Anon: 0L, File: 0L);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        do
        {
            long anon = 0, file = 0, shmem = 0;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    anon = Kb(line);
                }
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                {
                    file = Kb(line);
                }
                else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
                {
                    shmem = Kb(line);
                }
            }

            if (anon + file + shmem > best.Total)
            {
                best = (anon + file + shmem, anon, file + shmem);
            }
        }
        while (await Tick(timer, cancellationToken));

        return (best.Anon, best.File);

        static long Kb(string line) => long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string ShallowClone(string work, string remote, string gitRef)
    {
        var path = Repository.Clone(remote, Path.Join(work, "repo.git"), new CloneOptions(new FetchOptions { Depth = 1 })
        {
            IsBare = true,
            BranchName = gitRef,
            Checkout = false,
        });
        using var repository = new Repository(path);
        var shallow = File.Exists(Path.Join(path, "shallow"));
        return repository.Head.Tip.Sha + (shallow ? "" : string.Create(CultureInfo.InvariantCulture, $" (not shallow)"));
    }
}
