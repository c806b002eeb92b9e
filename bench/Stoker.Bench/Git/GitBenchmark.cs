using System.Globalization;
using System.Text.Json;
using Stoker.Bench.Core;

namespace Stoker.Bench.Git;

/// <summary>
/// Benchmark 3 of issue 8: the agent's clone and fetch (LibGit2Sharp through <c>Stoker.AgentClient.Git.GitCheckout</c>,
/// in a process of its own) against the git command line, on a generated repository of 50,000 files and 1,000
/// commits, over smart HTTP (lighttpd + git-http-backend) and over file://.
/// </summary>
public sealed class GitBenchmark : IBenchmark
{
    private const string RepositoryName = "large.git";

    private static readonly Dictionary<string, string> GitEnvironment = new()
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_TERMINAL_PROMPT"] = "0",
    };

    public string Name => "git";

    public string Title => "Git clone and fetch";

    public string SizeHelp => "files in the generated repository (default 50000; commits scale with it, one per 50 files: 1000)";

    public async Task<BenchmarkResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shape = GitRepositoryShape.Parse(context.Size, context.Smoke);
        var runs = context.RunsOr(3);
        var served = Directory.CreateDirectory(Path.Join(context.WorkDirectory, "served")).FullName;

        context.Progress($"git: generating {shape.Files:N0} files, {shape.Commits:N0} commits with git fast-import");
        var generating = context.Time.GetTimestamp();
        var repository = await GitRepositoryGenerator.GenerateAsync(Path.Join(served, RepositoryName), shape, cancellationToken);
        var generation = context.Time.GetElapsedTime(generating);
        context.Progress($"git: generated in {generation.TotalSeconds:0.0} s, pack {repository.PackBytes / 1048576.0:0.0} MB");

        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string key, double value)
        {
            if (!samples.TryGetValue(key, out var list))
            {
                samples[key] = list = [];
            }

            list.Add(value);
        }

        await using var server = await GitHttpServer.StartAsync(served, Directory.CreateDirectory(Path.Join(context.WorkDirectory, "lighttpd")).FullName, cancellationToken);
        var transports = new (string Key, string Label, string Url)[]
        {
            ("http", "smart HTTP", server.UrlFor(RepositoryName)),
            ("file", "file://", new Uri(repository.Path).AbsoluteUri),
        };
        var shallowNote = "";
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (key, label, url) in transports)
            {
                context.Progress($"git: run {run}/{runs}, {label}");
                var dir = Directory.CreateDirectory(Path.Join(context.WorkDirectory, $"run-{run}-{key}")).FullName;
                try
                {
                    await MoveMainAsync(repository, repository.Base, cancellationToken);

                    // Full clone: ours and git, in alternating order from run to run.
                    var oursWork = Path.Join(dir, "ours");
                    var gitClone = Path.Join(dir, "git.git");
                    async Task Ours()
                    {
                        var (m, r) = await AgentAsync(context, "agent", oursWork, url, "main", repository.Base, cancellationToken);
                        Add($"{key}.clone.ours.wall", m.Elapsed.TotalMilliseconds);
                        Add($"{key}.clone.ours.inproc", r.ElapsedMs);
                        Add($"{key}.clone.ours.rss", m.PeakRssMb);
                        Add($"{key}.clone.ours.startrss", r.StartRssKb / 1024.0);
                    }

                    async Task Git()
                    {
                        var m = await GitAsync(dir, cancellationToken, "clone", "-q", "--bare", "--single-branch", "--branch", "main", "--no-tags", url, gitClone);
                        Add($"{key}.clone.git.wall", m.Elapsed.TotalMilliseconds);
                        Add($"{key}.clone.git.rss", m.PeakRssMb);
                    }

                    if (run % 2 == 1)
                    {
                        await Ours();
                        await Git();
                    }
                    else
                    {
                        await Git();
                        await Ours();
                    }

                    // Shallow clone: GitCheckout never fetches shallow, so the comparison is LibGit2Sharp's own
                    // Repository.Clone with depth 1 against git clone --depth 1; libgit2's local transport refuses a depth.
                    if (key == "http")
                    {
                        var shallow = await GitAsync(dir, cancellationToken, "clone", "-q", "--bare", "--depth", "1", "--single-branch", "--branch", "main", "--no-tags", url, Path.Join(dir, "git-shallow.git"));
                        Add($"{key}.shallow.git.wall", shallow.Elapsed.TotalMilliseconds);
                        Add($"{key}.shallow.git.rss", shallow.PeakRssMb);
                        var (lm, lr) = await AgentAsync(context, "libgit2-shallow", Path.Join(dir, "libgit2-shallow"), url, "main", null, cancellationToken);
                        Add($"{key}.shallow.ours.wall", lm.Elapsed.TotalMilliseconds);
                        Add($"{key}.shallow.ours.inproc", lr.ElapsedMs);
                        Add($"{key}.shallow.ours.rss", lm.PeakRssMb);
                        if (lr.Commit.EndsWith("(not shallow)", StringComparison.Ordinal))
                        {
                            shallowNote = " LibGit2Sharp's depth-1 clone came back complete (no `shallow` file).";
                        }
                    }

                    // The incremental case: main moves on by one commit; both fetch it into their clones.
                    await MoveMainAsync(repository, repository.Update, cancellationToken);
                    async Task OursFetch()
                    {
                        var (m, r) = await AgentAsync(context, "agent", oursWork, url, "main", repository.Update, cancellationToken);
                        Add($"{key}.fetch.ours.wall", m.Elapsed.TotalMilliseconds);
                        Add($"{key}.fetch.ours.inproc", r.ElapsedMs);
                        Add($"{key}.fetch.ours.rss", m.PeakRssMb);
                        Add($"{key}.fetch.ours.startrss", r.StartRssKb / 1024.0);
                    }

                    async Task GitFetch()
                    {
                        var m = await GitAsync(dir, cancellationToken, "-C", gitClone, "fetch", "-q", "--no-tags", url, "+refs/heads/main:refs/heads/main");
                        Add($"{key}.fetch.git.wall", m.Elapsed.TotalMilliseconds);
                        Add($"{key}.fetch.git.rss", m.PeakRssMb);
                    }

                    if (run % 2 == 1)
                    {
                        await OursFetch();
                        await GitFetch();
                    }
                    else
                    {
                        await GitFetch();
                        await OursFetch();
                    }

                    var fetched = await GitRepositoryGenerator.GitAsync(gitClone, cancellationToken, "rev-parse", "refs/heads/main");
                    if (fetched != repository.Update)
                    {
                        throw new InvalidOperationException($"git fetch over {label} left main at {fetched}, expected {repository.Update}");
                    }
                }
                finally
                {
                    Program.TryDelete(dir);
                }
            }
        }

        await MoveMainAsync(repository, repository.Base, cancellationToken);
        return Result(shape, repository, generation, runs, samples, transports.Select(t => (t.Key, t.Label)).ToList(), shallowNote);
    }

    private static BenchmarkResult Result(GitRepositoryShape shape, GeneratedRepository repository, TimeSpan generation, int runs,
        Dictionary<string, List<double>> samples, IReadOnlyList<(string Key, string Label)> transports, string shallowNote)
    {
        Samples S(string key) => new(samples[key]);
        var figures = new List<Figure>();
        foreach (var (key, label) in transports)
        {
            const string clone = "git clone --bare --single-branch";
            figures.Add(new Figure($"full clone over {label}: time, child process (incl. .NET start-up)", "ms", S($"{key}.clone.ours.wall")) { BaselineName = clone, Baseline = S($"{key}.clone.git.wall") });
            figures.Add(new Figure($"full clone over {label}: time inside the child (GitCheckout.Fetch only)", "ms", S($"{key}.clone.ours.inproc")) { BaselineName = clone, Baseline = S($"{key}.clone.git.wall") });
            figures.Add(new Figure($"full clone over {label}: peak RSS", "MB", S($"{key}.clone.ours.rss")) { BaselineName = clone, Baseline = S($"{key}.clone.git.rss"), Target = Target.RatioAtMost(1.0) });

            const string fetch = "git fetch (one ref)";
            figures.Add(new Figure($"fetch of one new commit over {label}: time, child process (incl. .NET start-up)", "ms", S($"{key}.fetch.ours.wall")) { BaselineName = fetch, Baseline = S($"{key}.fetch.git.wall") });
            figures.Add(new Figure($"fetch of one new commit over {label}: time inside the child (GitCheckout.Fetch only)", "ms", S($"{key}.fetch.ours.inproc")) { BaselineName = fetch, Baseline = S($"{key}.fetch.git.wall") });
            figures.Add(new Figure($"fetch of one new commit over {label}: peak RSS", "MB", S($"{key}.fetch.ours.rss")) { BaselineName = fetch, Baseline = S($"{key}.fetch.git.rss"), Target = Target.RatioAtMost(1.0) });

            if (key == "http")
            {
                const string shallow = "git clone --bare --depth 1";
                figures.Add(new Figure($"shallow clone over {label}, LibGit2Sharp Repository.Clone depth 1 (not the agent's path): time, child process", "ms", S($"{key}.shallow.ours.wall")) { BaselineName = shallow, Baseline = S($"{key}.shallow.git.wall") });
                figures.Add(new Figure($"shallow clone over {label}, LibGit2Sharp Repository.Clone depth 1 (not the agent's path): peak RSS", "MB", S($"{key}.shallow.ours.rss")) { BaselineName = shallow, Baseline = S($"{key}.shallow.git.rss") });
            }
        }

        var startRss = samples.Where(p => p.Key.EndsWith(".startrss", StringComparison.Ordinal)).SelectMany(p => p.Value).DefaultIfEmpty(0).Average();
        var notes = new List<string>
        {
            $"Repository generated by `git fast-import` from a seeded stream in {generation.TotalSeconds:0.0} s: {shape.Files:N0} files of about 1 KB in `mod-NN/pkg-NN/unit-NNN.conf`, {shape.Commits:N0} commits on `main` (the first adds every file, each later one edits one line in {shape.FilesPerCommit} files), pack {repository.PackBytes / 1048576.0:0.0} MB. The incremental fetch moves `main` on by one more commit of the same kind.",
            "Ours is the agent's code path: `Stoker.AgentClient.Git.GitCheckout.Fetch(\"main\")` (LibGit2Sharp 0.32: a bare repository created in an empty work folder, `ls-remote` to resolve the ref, then a fetch of that one ref; no working tree) in a process of its own (`stoker-bench child git-checkout agent …`), run under GNU time for wall time and peak RSS. The fetch reuses the clone's work folder, as the agent does. The baseline is the git command line in the same run on the same server: `git clone --bare --single-branch --branch main --no-tags`, then `git fetch --no-tags <url> +refs/heads/main:refs/heads/main` into that clone.",
            $"The child's wall time includes .NET start-up and the JIT; \"time inside the child\" is `GitCheckout.Fetch` alone, timed by the child itself. The child's peak RSS before it starts the git work (runtime and assemblies loaded) averaged {startRss:0} MB; the fetch figures are close to that floor.",
            "Peak RSS is GNU time's `%M`: the largest resident set of the process or of any one of its waited-for descendants — not their sum. For `git clone`/`git fetch` over HTTP that is the largest of git, git-remote-http and index-pack; over file:// git also runs the server side (upload-pack, pack-objects) as child processes, and libgit2 does that work in-process, so both figures include the server's work there. Over HTTP the server (lighttpd, git-http-backend, pack-objects) is in neither.",
            "Shallow: the agent's `GitCheckout` never fetches shallow (by design: a shallow repository cannot later resolve a commit id that is not a tip, and libgit2 takes a depth only over smart transports — over file:// it fails with \"shallow fetch is not supported by the local transport\"), so there is no shallow figure for our code path. The shallow rows (smart HTTP only) compare LibGit2Sharp's own `Repository.Clone` with `FetchOptions.Depth = 1` against `git clone --depth 1`, to show what a shallow agent would cost." + shallowNote,
            $"{runs} repetition(s); ours and git alternate which goes first from one repetition to the next; every clone starts in an empty folder.",
        };

        return new BenchmarkResult("git", "Git clone and fetch")
        {
            Parameters = new Dictionary<string, string>
            {
                ["files"] = shape.Files.ToString("N0", CultureInfo.InvariantCulture),
                ["commits"] = shape.Commits.ToString("N0", CultureInfo.InvariantCulture),
                ["pack"] = $"{(repository.PackBytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MB",
                ["runs"] = runs.ToString(CultureInfo.InvariantCulture),
                ["transports"] = string.Join(", ", transports.Select(t => t.Label)),
            },
            Figures = figures,
            Notes = notes,
        };
    }

    private static async Task MoveMainAsync(GeneratedRepository repository, string commit, CancellationToken cancellationToken) =>
        await GitRepositoryGenerator.GitAsync(repository.Path, cancellationToken, "update-ref", "refs/heads/main", commit);

    private static async Task<ProcessMeasurement> GitAsync(string directory, CancellationToken cancellationToken, params string[] args) =>
        (await MeasuredProcess.RunAsync("git", args, directory, GitEnvironment, cancellationToken)).EnsureSuccess($"git {args[0]}{(args.Length > 1 && args[0] == "-C" ? " " + args[2] : "")}");

    private static async Task<(ProcessMeasurement Measurement, GitChildReport Report)> AgentAsync(
        BenchContext context, string mode, string work, string url, string gitRef, string? expected, CancellationToken cancellationToken)
    {
        var m = (await MeasuredProcess.RunAsync("dotnet", [BenchContext.SelfDll, "child", GitCheckoutRole.Name, mode, work, url, gitRef], context.WorkDirectory, cancellationToken: cancellationToken))
            .EnsureSuccess($"stoker-bench child {GitCheckoutRole.Name} {mode}");
        var line = m.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"child {GitCheckoutRole.Name} {mode} printed no report: {m.StandardError.Trim()}");
        var report = JsonSerializer.Deserialize<GitChildReport>(line)
            ?? throw new InvalidOperationException($"child {GitCheckoutRole.Name} {mode} printed \"{line}\", not a report");
        if (expected is not null && report.Commit != expected)
        {
            throw new InvalidOperationException($"child {GitCheckoutRole.Name} {mode} resolved main to {report.Commit}, expected {expected}");
        }

        return (m, report);
    }
}
