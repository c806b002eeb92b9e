namespace Stoker.Tests.Bench;

/// <summary>The git benchmark at smoke size (500 files, 20 commits, one repetition) runs and reports its figures.</summary>
public sealed class GitSmokeTests
{
    [Fact]
    public async Task GitSmoke_CompletesWithCloneFetchAndShallowFigures()
    {
        using var run = await BenchProcess.RunAsync("git", "--smoke");

        Assert.True(run.ExitCode == 0, $"stoker-bench git --smoke exited with {run.ExitCode}: {run.StandardError}");
        var figures = run.Figures.Where(f => f.Benchmark == "git").ToList();
        foreach (var transport in new[] { "smart HTTP", "file://" })
        {
            foreach (var operation in new[] { "full clone", "fetch of one new commit" })
            {
                foreach (var measure in new[] { "time, child process", "time inside the child", "peak RSS" })
                {
                    var figure = Assert.Single(figures, f => f.Figure.StartsWith($"{operation} over {transport}", StringComparison.Ordinal) &&
                        f.Figure.Contains($": {measure}", StringComparison.Ordinal));
                    Assert.Equal(1, figure.Count);
                    Assert.True(figure.Median > 0, $"{figure.Figure}: {figure.Median}");
                }
            }
        }

        Assert.Equal(2, figures.Count(f => f.Figure.StartsWith("shallow clone over smart HTTP", StringComparison.Ordinal) && f.Median > 0));
        Assert.Equal(14, figures.Count);
        Assert.Contains("## Git clone and fetch", run.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitBadSize_ClearErrorNamingTheOption()
    {
        using var run = await BenchProcess.RunAsync("git", "--size", "lots");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--size: \"lots\": must be a file count", run.StandardError, StringComparison.Ordinal);
    }
}
