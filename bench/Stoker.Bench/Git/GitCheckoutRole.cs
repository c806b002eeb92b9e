using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LibGit2Sharp;
using Stoker.AgentClient.Git;
using Stoker.Bench.Core;

namespace Stoker.Bench.Git;

/// <summary>What the child reports on its last stdout line.</summary>
/// <param name="Commit">The commit the ref resolved to.</param>
/// <param name="ElapsedMs">The git work alone, timed inside the process (no .NET start-up).</param>
/// <param name="StartRssKb">Peak RSS before the git work: the runtime and the loaded assemblies.</param>
/// <param name="PeakRssKb">Peak RSS at the end (VmHWM).</param>
public sealed record GitChildReport(string Commit, double ElapsedMs, long StartRssKb, long PeakRssKb);

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

        var elapsed = Stopwatch.GetElapsedTime(started);
        var report = new GitChildReport(commit, elapsed.TotalMilliseconds, startRss, MeasuredProcess.PeakRssKb(Environment.ProcessId));
        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report));
        return 0;
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
