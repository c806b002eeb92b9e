using System.CommandLine;

namespace Stoker.Demo;

/// <summary>
/// <c>stoker-demo</c> (run by demo/run.sh): parses the flags, then runs the tour. Exit codes: 0 the tour completed (or
/// the demo was stopped with Ctrl-C after it), 1 a step failed, 2 bad usage, 130 stopped by Ctrl-C during the tour.
/// </summary>
public static class DemoCommandLine
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    private static readonly Option<bool> NonInteractiveOption = new("--non-interactive")
    {
        Description = "Run the scripted tour unattended: plain progress lines, exit 0 when both gateways synced and the webhook change propagated.",
    };

    private static readonly Option<bool> PostgresOption = new("--postgres")
    {
        Description = "Keep the silo's state in PostgreSQL, started from the machine's binaries, instead of in memory.",
    };

    private static readonly Option<string?> RepositoryRootOption = new("--repo-root")
    {
        Description = "The Stoker checkout that holds demo/ (default: found from the current folder upwards).",
    };

    private static readonly Option<string?> PublishDirOption = new("--publish-dir")
    {
        Description = "The published programs (default: <repo-root>/artifacts/publish).",
    };

    private static readonly Option<string?> WorkDirOption = new("--work-dir")
    {
        Description = "The run's folder for the repository, gateway data, agent work folders and logs; emptied at start (default: <repo-root>/.work/demo).",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("The Stoker demo: a git server, the silo, two simulated Ignition gateways and their agents, driven through a sync and a webhook push.")
        {
            NonInteractiveOption, PostgresOption, RepositoryRootOption, PublishDirOption, WorkDirOption,
        };
        var parsed = root.Parse(args);
        if (args.Any(a => a is "-h" or "--help" or "-?"))
        {
            return await parsed.InvokeAsync();
        }

        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"stoker-demo: {error.Message} (see --help)");
            }

            return Usage;
        }

        var (options, problems) = Resolve(parsed);
        if (options is null)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("stoker-demo: " + problem);
            }

            return Usage;
        }

        return await Tour.DemoTour.RunAsync(options);
    }

    private static (DemoOptions? Options, List<string> Problems) Resolve(ParseResult parsed)
    {
        var problems = new List<string>();
        var repositoryRoot = parsed.GetValue(RepositoryRootOption) is { Length: > 0 } given ? Path.GetFullPath(given) : FindRepositoryRoot();
        if (repositoryRoot is null)
        {
            problems.Add("--repo-root: not given, and no folder from here upwards holds demo/gatewaysync.yaml: run demo/run.sh from the Stoker checkout");
            return (null, problems);
        }

        if (!File.Exists(Path.Join(repositoryRoot, "demo", "gatewaysync.yaml")))
        {
            problems.Add($"--repo-root: \"{repositoryRoot}\": must be the Stoker checkout (demo/gatewaysync.yaml is missing there)");
        }

        var publish = Path.GetFullPath(parsed.GetValue(PublishDirOption) ?? Path.Join(repositoryRoot, "artifacts", "publish"));
        foreach (var (folder, program) in (ReadOnlySpan<(string, string)>)[("silo", "stoker-silo.dll"), ("agent", "stoker-agent.dll"), ("simulator", "ignition-simulator.dll"), ("cli", "stoker.dll")])
        {
            if (!File.Exists(Path.Join(publish, folder, program)))
            {
                problems.Add($"--publish-dir: \"{publish}\": {folder}/{program} is missing: run deploy/publish.sh (demo/run.sh does)");
                break;
            }
        }

        var work = Path.GetFullPath(parsed.GetValue(WorkDirOption) ?? Path.Join(repositoryRoot, ".work", "demo"));
        if (work == Path.GetFullPath(repositoryRoot) || Path.GetFullPath(repositoryRoot).StartsWith(work + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problems.Add($"--work-dir: \"{work}\": must not be the checkout or contain it (the folder is emptied at start)");
        }

        return problems.Count > 0
            ? (null, problems)
            : (new DemoOptions
            {
                NonInteractive = parsed.GetValue(NonInteractiveOption),
                Postgres = parsed.GetValue(PostgresOption),
                RepositoryRoot = repositoryRoot,
                PublishDirectory = publish,
                WorkDirectory = work,
            }, problems);
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "demo", "gatewaysync.yaml")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
