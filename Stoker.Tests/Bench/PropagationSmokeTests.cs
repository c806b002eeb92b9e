namespace Stoker.Tests.Bench;

/// <summary>
/// <c>stoker-bench propagation --smoke</c> as a real process: the real silo, fleets of agents, signed webhooks and the
/// poll-only path, at 20 gateways under 1 and 2 GatewaySyncs. Proves it runs and reports; measures nothing.
/// </summary>
public sealed class PropagationSmokeTests
{
    [Fact]
    public async Task Smoke_CompletesWithLatencyAndMemoryFigures()
    {
        using var run = await BenchProcess.RunAsync("propagation", "--smoke");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.StandardError}");
        var figures = run.Figures.Where(f => f.Benchmark == "propagation").ToList();
        Assert.Contains(figures, f => f.Figure == "webhook → all agents, 20 gateways, 1 GatewaySync" && f.Count == 20 && f.Median > 0);
        Assert.Contains(figures, f => f.Figure == "webhook → all agents, 20 gateways, 2 GatewaySyncs" && f.Count == 20 && f.Median > 0);
        Assert.Contains(figures, f => f.Figure.StartsWith("poll only", StringComparison.Ordinal) && f.Count > 0 && f.Median > 0);
        Assert.Equal(2, figures.Count(f => f.Figure.StartsWith("silo RSS, 20 gateways", StringComparison.Ordinal) && f.Median > 0));

        // One sample a measured round; /proc counts CPU in 10 ms ticks, so 20 gateways may well show 0.
        Assert.Equal(2, figures.Count(f => f.Figure.StartsWith("silo CPU per gateway per fan-out, 20 gateways", StringComparison.Ordinal) && f.Count == 1 && f.Median >= 0));
        Assert.Contains("Memory per simulated agent", run.Markdown, StringComparison.Ordinal);
        Assert.Contains("original: agents poll a ConfigMap every 3 s", run.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSize_ClearErrorNamingOptionValueAndRule()
    {
        using var run = await BenchProcess.RunAsync("propagation", "--size", "100,lots");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--size: \"100,lots\": \"lots\" must be a gateway count from 1 to 100000", run.StandardError + run.Markdown, StringComparison.Ordinal);
    }
}
