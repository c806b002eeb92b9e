namespace Stoker.Bench.Core;

/// <summary>What a benchmark run is given.</summary>
public sealed class BenchContext
{
    /// <summary>Small sizes and one repetition: proves the benchmark completes and produces figures (the test suite uses it).</summary>
    public required bool Smoke { get; init; }

    /// <summary><c>--size</c>, parsed by the benchmark itself; null for its defaults (all sizes of the issue).</summary>
    public string? Size { get; init; }

    /// <summary><c>--runs</c>: repetitions per figure; null for the benchmark's default.</summary>
    public int? Runs { get; init; }

    /// <summary>A folder of its own the benchmark may fill; the runner deletes it afterwards.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The repository checkout (to find built programs).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The build configuration of this program (the silo and agent it starts are the same configuration).</summary>
    public required string Configuration { get; init; }

    public required TextWriter Log { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Progress lines go to stderr so stdout stays the report.</summary>
    public void Progress(string message) => Log.WriteLine($"[{Time.GetLocalNow():HH:mm:ss}] {message}");

    public int RunsOr(int normal) => Runs ?? (Smoke ? 1 : normal);

    /// <summary>The built output folder of one of the solution's programs, e.g. <c>ProgramDirectory("Stoker.Silo")</c>.</summary>
    public string ProgramDirectory(string project) => Path.Join(RepositoryRoot, project, "bin", Configuration, "net10.0");

    /// <summary>This program's own dll, to start child roles: <c>dotnet &lt;dll&gt; child &lt;role&gt; …</c>.</summary>
    public static string SelfDll => Path.Join(AppContext.BaseDirectory, "stoker-bench.dll");
}
