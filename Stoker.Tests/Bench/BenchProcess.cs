using System.Diagnostics;
using System.Text.Json;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Bench;

/// <summary>Runs the built <c>stoker-bench</c> (from its own project's output, like the agent) as a real process.</summary>
internal static class BenchProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    public static string BenchDll { get; } = BuiltProgram.Find("bench/Stoker.Bench", "stoker-bench.dll");

    /// <summary>Runs <c>stoker-bench &lt;args&gt; --json &lt;file&gt;</c> in a temp folder and returns the exit code, stderr and the parsed JSON.</summary>
    public static async Task<BenchRun> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(BenchDll), $"stoker-bench.dll not found at {BenchDll}");
        using var work = new TempDirectory("bench");
        var json = work.Combine("results.json");
        var report = work.Combine("report.md");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { BenchDll }.Concat(args).Concat(["--json", json, "--out", report, "--work", work.Combine("data")]))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"stoker-bench {string.Join(' ', args)} did not finish within {Timeout}: {await stderr}");
        }

        var document = File.Exists(json) ? JsonDocument.Parse(await File.ReadAllTextAsync(json)) : null;
        var markdown = File.Exists(report) ? await File.ReadAllTextAsync(report) : "";
        return new BenchRun(process.ExitCode, await stdout, await stderr, document, markdown);
    }
}

internal sealed record BenchRun(int ExitCode, string StandardOutput, string StandardError, JsonDocument? Json, string Markdown) : IDisposable
{
    /// <summary>Every figure of every benchmark in the run: (benchmark, figure name, our median).</summary>
    public IReadOnlyList<(string Benchmark, string Figure, double Median, int Count)> Figures =>
        Json is null
            ? []
            : [.. Json.RootElement.GetProperty("results").EnumerateArray().SelectMany(r => r.GetProperty("figures").EnumerateArray().Select(f =>
                (r.GetProperty("name").GetString()!, f.GetProperty("name").GetString()!,
                 f.GetProperty("ours").GetProperty("median").GetDouble(), f.GetProperty("ours").GetProperty("count").GetInt32())))];

    public void Dispose() => Json?.Dispose();
}
