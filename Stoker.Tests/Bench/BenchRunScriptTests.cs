using System.Diagnostics;

namespace Stoker.Tests.Bench;

/// <summary>
/// <c>bash bench/run.sh</c>, the README's benchmark command, installs what it needs, builds the benchmark in Release
/// and execs the same <c>stoker-bench</c> the smoke tests run (a full run takes ~15 minutes, so the suite runs the
/// benchmarks through that program in smoke mode rather than through the script).
/// </summary>
public sealed class BenchRunScriptTests
{
    private static readonly string Root = Demo.Checkout.Root;

    private static readonly string[] Lines = [.. File.ReadAllLines(Path.Join(Root, "bench", "run.sh"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Fact]
    public void Script_InstallsBuildsReleaseAndExecsStokerBenchWithAllByDefault()
    {
        Assert.Contains("bash scripts/install-deps.sh", Lines);
        Assert.Contains(Lines, l => l.StartsWith("dotnet build bench/Stoker.Bench/Stoker.Bench.csproj -c Release -warnaserror", StringComparison.Ordinal));
        Assert.Contains("[ $# -gt 0 ] || set -- all", Lines);
        Assert.Equal("exec dotnet bench/Stoker.Bench/bin/Release/net10.0/stoker-bench.dll \"$@\"", Lines[^1]);
        Assert.Equal(Path.GetFullPath(Path.Join(Root, "bench", "Stoker.Bench", "bin", "Release", "net10.0", "stoker-bench.dll")),
            Path.GetFullPath(BenchProcess.BenchDll).Replace($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", $"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StokerBench_Help_ListsEveryBenchmarkAndAll()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BenchProcess.BenchDll);
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        foreach (var name in (string[])["all", "propagation", "sync", "git", "capacity"])
        {
            Assert.Matches($@"(?m)^\s+{name}\s", stdout);
        }
    }
}
