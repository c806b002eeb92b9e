namespace Stoker.Tests.Bench;

/// <summary>The incremental-sync benchmark in smoke mode (about 300 files, one run): it completes and reports its figures.</summary>
public sealed class SyncSmokeTests
{
    private static readonly string[] Expected =
    [
        "10-file change, in the agent",
        "unchanged re-sync, in the agent",
        "initial full sync, in the agent",
        "10-file change, stoker-agent sync process",
        "unchanged re-sync, stoker-agent sync process",
        "initial full sync, stoker-agent sync process",
        "10-file change, stoker-agent sync process, file://",
        "unchanged re-sync, stoker-agent sync process, file://",
        "initial full sync, stoker-agent sync process, file://",
        "agent peak RSS (VmHWM)",
        "stoker-agent sync process peak RSS",
    ];

    [Fact]
    public async Task Sync_Smoke_CompletesWithEveryFigure()
    {
        using var run = await BenchProcess.RunAsync("sync", "--smoke");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var figures = run.Figures.Where(f => f.Benchmark == "sync").ToList();
        foreach (var name in Expected)
        {
            Assert.Contains(figures, f => f.Figure == name && f.Count > 0 && f.Median > 0);
        }

        Assert.Contains("## Incremental sync", run.Markdown, StringComparison.Ordinal);
        Assert.Contains("data directories are identical", run.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_BadSize_ClearError()
    {
        using var run = await BenchProcess.RunAsync("sync", "--smoke", "--size", "lots");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--size: \"lots\"", run.StandardError, StringComparison.Ordinal);
    }
}
