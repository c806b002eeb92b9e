using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stoker.Bench.Core;

namespace Stoker.Bench;

/// <summary>
/// <c>stoker-bench</c>: runs Stoker's benchmarks side by side with their baselines and writes <c>BENCHMARKS.md</c>.
/// A macro-benchmark harness of our own: the figures are whole processes, git servers and fleets of clients, which
/// BenchmarkDotNet's in-process micro-benchmark model does not measure.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var benchmarks = Discover<IBenchmark>().OrderBy(b => Order(b.Name)).ToList();
        var roles = Discover<IChildRole>().ToDictionary(r => r.Role, StringComparer.Ordinal);

        // Child roles take their own arguments verbatim: stoker-bench child <role> …
        if (args.Length >= 1 && args[0] == "child")
        {
            if (args.Length < 2 || !roles.TryGetValue(args[1], out var role))
            {
                await Console.Error.WriteLineAsync($"stoker-bench child: unknown role \"{(args.Length > 1 ? args[1] : "")}\"; known: {string.Join(", ", roles.Keys)}");
                return 2;
            }

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            return await role.RunAsync(args[2..], stop.Token);
        }

        var smoke = new Option<bool>("--smoke") { Description = "small sizes, one repetition: proves the benchmarks run (the test suite uses it)" };
        var runs = new Option<int?>("--runs") { Description = "repetitions per figure (default: each benchmark's own)" };
        var output = new Option<string?>("--out") { Description = "write the Markdown report to this file (default for 'all': BENCHMARKS.md at the repository root)" };
        var json = new Option<string?>("--json") { Description = "also write the results as JSON to this file" };
        var work = new Option<string?>("--work") { Description = "folder for generated data (default: a new temporary folder, deleted afterwards)" };
        runs.Validators.Add(r =>
        {
            if (r.GetValue(runs) is < 1)
            {
                r.AddError($"--runs: {r.GetValue(runs)}: must be at least 1");
            }
        });

        var root = new RootCommand("Stoker's benchmarks: propagation, incremental sync, git, control-plane capacity");
        var all = new Command("all", "run every benchmark at the issue's sizes and write BENCHMARKS.md") { smoke, runs, output, json, work };
        all.SetAction((r, ct) => RunAsync(benchmarks, null, r.GetValue(smoke), r.GetValue(runs), r.GetValue(output) ?? Path.Join(RepositoryRoot(), "BENCHMARKS.md"), r.GetValue(json), r.GetValue(work), "bash bench/run.sh", ct));
        root.Subcommands.Add(all);
        foreach (var benchmark in benchmarks)
        {
            var size = new Option<string?>("--size") { Description = benchmark.SizeHelp };
            var command = new Command(benchmark.Name, benchmark.Title) { size, smoke, runs, output, json, work };
            command.SetAction((r, ct) => RunAsync([benchmark], r.GetValue(size), r.GetValue(smoke), r.GetValue(runs), r.GetValue(output), r.GetValue(json), r.GetValue(work),
                $"stoker-bench {string.Join(' ', args)}", ct));
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(IReadOnlyList<IBenchmark> selected, string? size, bool smoke, int? runs, string? output, string? json, string? work,
        string commandLine, CancellationToken cancellationToken)
    {
        var repositoryRoot = RepositoryRoot();
        var ownWork = work is null;
        var workRoot = work ?? Path.Join(Path.GetTempPath(), $"stoker-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(workRoot);
        var results = new List<BenchmarkResult>();
        var failed = 0;
        try
        {
            foreach (var benchmark in selected)
            {
                var context = new BenchContext
                {
                    Smoke = smoke,
                    Size = size,
                    Runs = runs,
                    WorkDirectory = Directory.CreateDirectory(Path.Join(workRoot, benchmark.Name)).FullName,
                    RepositoryRoot = repositoryRoot,
                    Configuration = Configuration(),
                    Log = Console.Error,
                };
                context.Progress($"{benchmark.Name}: {benchmark.Title}{(smoke ? " (smoke)" : "")}");
                var started = context.Time.GetTimestamp();
                try
                {
                    var result = await benchmark.RunAsync(context, cancellationToken);
                    results.Add(result with { Duration = context.Time.GetElapsedTime(started) });
                    context.Progress($"{benchmark.Name}: done in {context.Time.GetElapsedTime(started).TotalSeconds:0} s");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed++;
                    await Console.Error.WriteLineAsync($"stoker-bench: {benchmark.Name} failed: {e}");
                    results.Add(new BenchmarkResult(benchmark.Name, benchmark.Title)
                    {
                        Notes = [$"**Failed**: {e.GetType().Name}: {e.Message}"],
                        Duration = context.Time.GetElapsedTime(started),
                    });
                }
                finally
                {
                    TryDelete(context.WorkDirectory);
                }
            }
        }
        finally
        {
            if (ownWork)
            {
                TryDelete(workRoot);
            }
        }

        var machine = MachineInfo.Collect(repositoryRoot, TimeProvider.System);
        var markdown = MarkdownReport.Render(machine, commandLine, results, smoke);
        if (output is null)
        {
            Console.Out.Write(markdown);
        }
        else
        {
            await File.WriteAllTextAsync(output, markdown, cancellationToken);
            await Console.Error.WriteLineAsync($"stoker-bench: wrote {output}");
        }

        if (json is not null)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { machine, results }, JsonOptions), cancellationToken);
        }

        return failed == 0 ? 0 : 1;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static IEnumerable<T> Discover<T>() => typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (T)Activator.CreateInstance(t)!);

    private static int Order(string name) => Array.IndexOf(["propagation", "sync", "git", "capacity"], name) is var i and >= 0 ? i : int.MaxValue;

    private static string Configuration() =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The checkout this program was built from: the nearest folder above it holding <c>Stoker.sln</c>.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "Stoker.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>Deletes a folder tree, including git's read-only object files.</summary>
    internal static void TryDelete(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"stoker-bench: could not delete {path}: {e.Message}");
        }
    }
}
