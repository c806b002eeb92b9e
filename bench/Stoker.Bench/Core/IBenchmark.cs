namespace Stoker.Bench.Core;

/// <summary>
/// A benchmark the runner discovers by reflection (any non-abstract class with a public parameterless constructor).
/// It builds its own data, runs ours and the baseline in the same run, and cleans up what it started.
/// </summary>
public interface IBenchmark
{
    /// <summary>The command-line name: <c>stoker-bench &lt;name&gt;</c>.</summary>
    string Name { get; }

    string Title { get; }

    /// <summary>What <c>--size</c> means for this benchmark, for <c>--help</c>.</summary>
    string SizeHelp { get; }

    Task<BenchmarkResult> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A helper process role a benchmark starts as <c>stoker-bench child &lt;role&gt; args…</c> (e.g. a client process that
/// holds many gateway observers). Discovered like benchmarks.
/// </summary>
public interface IChildRole
{
    string Role { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
