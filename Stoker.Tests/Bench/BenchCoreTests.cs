using Stoker.Bench.Core;

namespace Stoker.Tests.Bench;

public sealed class BenchCoreTests
{
    [Fact]
    public void Samples_NearestRankPercentiles()
    {
        var s = new Samples(Enumerable.Range(1, 200).Select(i => (double)i).Reverse());

        Assert.Equal(100, s.Median);
        Assert.Equal(198, s.P99);
        Assert.Equal(200, s.Max);
        Assert.Equal(1, s.Min);
        Assert.Equal(1, s.Percentile(0.1));
    }

    [Fact]
    public void Samples_OneValue_EveryStatisticIsIt()
    {
        var s = Samples.Of(42);

        Assert.Equal(42, s.Median);
        Assert.Equal(42, s.P99);
        Assert.Equal(42, s.Max);
    }

    [Fact]
    public void Samples_EmptyOrNotFinite_Refused()
    {
        Assert.Throws<ArgumentException>(() => new Samples([]));
        Assert.Throws<ArgumentException>(() => Samples.Of(1, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Samples.Of(1).Percentile(0));
    }

    [Fact]
    public void SiloOnlyVariables_PrefixRemoved_OthersAndBarePrefixIgnored()
    {
        var variables = new System.Collections.Hashtable
        {
            ["BENCH_SILO_DOTNET_TieredPGO"] = "0",
            ["BENCH_SILO_Stoker__Dashboard__Enabled"] = "false",
            ["BENCH_SILO_"] = "x",
            ["DOTNET_gcServer"] = "0",
        };

        var passed = SiloProcess.SiloOnlyVariables(variables).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();

        Assert.Equal([new("DOTNET_TieredPGO", "0"), new("Stoker__Dashboard__Enabled", "false")], passed);
    }

    [Fact]
    public void PropagationSizes_DefaultIncludesTheLargeFleet_OverTheLimitRefused()
    {
        Assert.Equal([100, 1000, 10000, 100000], Stoker.Bench.Propagation.PropagationBenchmark.ParseSizes(null));
        var e = Assert.Throws<ArgumentException>(() => Stoker.Bench.Propagation.PropagationBenchmark.ParseSizes("1000,100001"));
        Assert.Contains("\"100001\" must be a gateway count from 1 to 100000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_RatioAndAbsolute()
    {
        var fast = new Figure("change", "ms", Samples.Of(10, 20, 30)) { BaselineName = "rsync", Baseline = Samples.Of(100, 200, 300), Target = Target.RatioAtMost(0.25) };
        var slow = fast with { Ours = Samples.Of(100, 150, 200) };
        var latency = new Figure("p99", "ms", Samples.Of(Enumerable.Range(1, 100).Select(i => (double)i).ToArray())) { Target = Target.P99AtMost(99) };
        var throughput = new Figure("reports", "reports/s", Samples.Of(4000, 6000, 7000)) { Target = Target.MedianAtLeast(5000) };

        Assert.Equal(0.1, fast.Ratio!.Value, 6);
        Assert.True(fast.Met);
        Assert.False(slow.Met);
        Assert.True(latency.Met);
        Assert.True(throughput.Met);
        Assert.Null(new Figure("no baseline", "ms", Samples.Of(1)) { Target = Target.RatioAtMost(1) }.Met);
    }

    [Fact]
    public void MarkdownReport_MachineFiguresMissedTargetsAndNotes()
    {
        var machine = new MachineInfo("Test CPU", 2, "24.0 GiB", "Debian GNU/Linux 12 (bookworm)", ".NET 10.0.0", "git version 2.39.5", "abc123", new DateTimeOffset(2026, 11, 26, 3, 4, 0, TimeSpan.Zero));
        var result = new BenchmarkResult("sync", "Incremental sync")
        {
            Parameters = new Dictionary<string, string> { ["files"] = "20,000" },
            Figures =
            [
                new Figure("10-file change, in the agent", "ms", Samples.Of(50, 60, 70)) { BaselineName = "git fetch + checkout + rsync", Baseline = Samples.Of(100), Target = Target.RatioAtMost(0.25) },
                new Figure("peak memory", "MB", Samples.Of(80)) { BaselineNote = "computed" },
            ],
            Notes = ["the time goes to hashing"],
            Duration = TimeSpan.FromMinutes(3),
        };

        var md = MarkdownReport.Render(machine, "bash bench/run.sh", [result], smoke: false);

        Assert.Contains("| Date (UTC) | 2026-11-26 03:04 |", md, StringComparison.Ordinal);
        Assert.Contains("| Commit | `abc123` |", md, StringComparison.Ordinal);
        Assert.Contains("| CPU | Test CPU, 2 cores |", md, StringComparison.Ordinal);
        Assert.Contains("| 10-file change, in the agent | 3 | 60.0 ms | 70.0 ms | 70.0 ms | git fetch + checkout + rsync | 100 ms | 0.6× | ratio ≤ 0.25× | ✗ |", md, StringComparison.Ordinal);
        Assert.Contains("- Incremental sync: 10-file change, in the agent", md, StringComparison.Ordinal);
        Assert.Contains("- peak memory: computed", md, StringComparison.Ordinal);
        Assert.Contains("- the time goes to hashing", md, StringComparison.Ordinal);
        Assert.Contains("files: 20,000", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Smoke run", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasuredProcess_ReportsExitTimeAndPeakRss()
    {
        using var dir = new Infrastructure.TempDirectory("measured");

        var run = await MeasuredProcess.RunAsync("git", ["init", "-q", "repo"], dir.Path);
        var failed = await MeasuredProcess.RunAsync("git", ["rev-parse", "HEAD"], dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.PeakRssKb > 0);
        Assert.True(Directory.Exists(dir.Combine("repo", ".git")));
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Throws<InvalidOperationException>(() => failed.EnsureSuccess("git rev-parse"));
    }

    [Fact]
    public async Task UnknownChildRoleOrBadRuns_ClearErrorNonZeroExit()
    {
        using var role = await BenchProcess.RunAsync("child", "no-such-role");
        using var runs = await BenchProcess.RunAsync("all", "--runs", "0");

        Assert.Equal(2, role.ExitCode);
        Assert.Contains("unknown role \"no-such-role\"", role.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, runs.ExitCode);
        Assert.Contains("--runs: 0: must be at least 1", runs.StandardError + runs.StandardOutput, StringComparison.Ordinal);
    }
}
