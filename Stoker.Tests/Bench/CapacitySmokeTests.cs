namespace Stoker.Tests.Bench;

/// <summary>
/// <c>stoker-bench capacity --smoke</c> as a real process: 200 gateways reporting into the real silo, and the memory
/// of idle Gateway grains in a hosted silo. Proves it runs and reports; measures nothing.
/// </summary>
public sealed class CapacitySmokeTests
{
    [Fact]
    public async Task Smoke_CompletesWithThroughputAndMemoryFigures()
    {
        using var run = await BenchProcess.RunAsync("capacity", "--smoke");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.StandardError}");
        var figures = run.Figures.Where(f => f.Benchmark == "capacity").ToList();
        Assert.Contains(figures, f => f.Figure == "sync reports into Gateway grains, 200 gateways (TLS)" && f.Count == 1 && f.Median > 0);
        Assert.Contains(figures, f => f.Figure == "the same over plain TCP (AllowInsecureAgents), 200 gateways" && f.Count == 1 && f.Median > 0);
        Assert.Contains(figures, f => f.Figure == "the same over TLS without the per-call agent credential check (baseline)" && f.Count == 1 && f.Median > 0);
        Assert.Contains(figures, f => f.Figure == "memory per idle Gateway grain (managed heap, after full GC)" && f.Count == 1 && f.Median > 0);
        Assert.Contains(figures, f => f.Figure == "memory per idle Gateway grain (RSS, after full GC)" && f.Count == 1);
    }
}
