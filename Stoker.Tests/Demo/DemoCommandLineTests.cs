using System.Diagnostics;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Demo;

/// <summary>Bad input to <c>stoker-demo</c> gets a clear error naming the flag, and nothing is started or deleted.</summary>
public sealed class DemoCommandLineTests
{
    [Fact]
    public async Task UnknownFlag_ExitsTwo_NamingIt()
    {
        var (exitCode, output) = await RunAsync("--bogus");
        Assert.Equal(2, exitCode);
        Assert.Contains("--bogus", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishDirWithoutPrograms_ExitsTwo_SayingHowToPublish()
    {
        using var empty = new TempDirectory("demo-publish");
        var (exitCode, output) = await RunAsync("--repo-root", Checkout.Root, "--publish-dir", empty.Path);
        Assert.Equal(2, exitCode);
        Assert.Contains($"--publish-dir: \"{empty.Path}\": silo/stoker-silo.dll is missing: run deploy/publish.sh", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkDirHoldingOtherFiles_IsRefused_AndLeftAsItIs()
    {
        using var publish = FakePublishFolder();
        using var work = new TempDirectory("demo-work");
        File.WriteAllText(Path.Join(work.Path, "precious.txt"), "keep me");

        var (exitCode, output) = await RunAsync("--repo-root", Checkout.Root, "--publish-dir", publish.Path, "--work-dir", work.Path, "--non-interactive");

        Assert.Equal(1, exitCode);
        Assert.Contains($"--work-dir: \"{work.Path}\": not empty and not a demo work folder", output, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(Path.Join(work.Path, "precious.txt")));
        Assert.Contains("Stopped 0 processes", output, StringComparison.Ordinal);
    }

    private static TempDirectory FakePublishFolder()
    {
        var folder = new TempDirectory("demo-publish");
        foreach (var (app, dll) in new[] { ("silo", "stoker-silo.dll"), ("agent", "stoker-agent.dll"), ("simulator", "ignition-simulator.dll"), ("cli", "stoker.dll") })
        {
            Directory.CreateDirectory(folder.Combine(app));
            File.WriteAllText(folder.Combine(app, dll), "");
        }

        return folder;
    }

    /// <summary>stoker-demo from its own project's build output (the configuration the tests were built in).</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var demo = Checkout.Combine("Stoker.Demo", "bin", testOutput.Parent!.Name, testOutput.Name, "stoker-demo.dll");
        Assert.True(File.Exists(demo), $"{demo} not built");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[demo, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
