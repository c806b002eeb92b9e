using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Stoker.Demo.Plan;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Demo;

/// <summary>
/// The README's run command, as a user runs it: <c>bash demo/run.sh --non-interactive</c> (installs what it needs,
/// publishes, runs the scripted tour), as a real process. Only the work folder is moved to a temp folder.
/// </summary>
public sealed partial class DemoRunTests(ITestOutputHelper output)
{
    /// <summary>The command the README shows; this test runs exactly it (plus flags).</summary>
    public const string RunCommand = "bash demo/run.sh";

    // Generous for a cold publish on a busy 2-core machine, and still bounded.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task RunSh_NonInteractive_SyncsBothGateways_PropagatesWebhookChange_LeavesNothingRunning()
    {
        using var work = new TempDirectory("demo-run");
        var (exitCode, text, took) = await RunAsync(["--non-interactive", "--work-dir", work.Path]);
        output.WriteLine($"demo/run.sh --non-interactive took {took.TotalSeconds:0.0} s");
        output.WriteLine(text);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{text}");
        Assert.Matches(@"ok  First sync: 2/2 gateways Synced at [0-9a-f]{7}", text);
        Assert.Contains("ignition-north (north): Synced", text, StringComparison.Ordinal);
        Assert.Contains("ignition-south (south): Synced", text, StringComparison.Ordinal);
        Assert.Contains("ok  Webhook: 202 Accepted", text, StringComparison.Ordinal);
        Assert.Matches(@"Propagation: webhook → 2/2 gateways Synced at [0-9a-f]{7} in [0-9.]+ (ms|s) \(ignition-north [0-9.]+ (ms|s), ignition-south [0-9.]+ (ms|s)\)", text);
        Assert.Contains("2/2 synced", text, StringComparison.Ordinal);

        // The change is on both gateways' disks, rendered for each.
        foreach (var gateway in DemoTopology.Native(Checkout.Root, work.Path, DemoPorts.Defaults, "x", null).Gateways)
        {
            var properties = await File.ReadAllTextAsync(Path.Join(gateway.DataPath, "config/resources/core/ignition/system-properties/config.json"));
            Assert.Contains("release 2", properties, StringComparison.Ordinal);
            Assert.Contains($"\"systemName\": \"{gateway.Name}\"", properties, StringComparison.Ordinal);
        }

        // Nothing left behind: the reported processes are gone, no process carries the run's log variable, the silo's port is closed.
        var stopped = StoppedLine().Match(text);
        Assert.True(stopped.Success, "no stop report\n" + text);
        var pids = stopped.Groups["pids"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(int.Parse(stopped.Groups["count"].Value, CultureInfo.InvariantCulture), pids.Count);
        Assert.True(pids.Count >= 6, $"expected git server, silo, two simulators and two agents, got {pids.Count}");
        Assert.All(pids, pid => Assert.False(IsRunningFrom(pid, work.Path), $"pid {pid} is still running"));
        Assert.Empty(ProcessesStartedFrom(work.Path));
        var silo = SiloUrl().Match(text);
        Assert.True(silo.Success, "no dashboard URL\n" + text);
        Assert.False(await IsListeningAsync(int.Parse(silo.Groups["port"].Value, CultureInfo.InvariantCulture)), "the silo's port still accepts connections");
    }

    [Fact]
    public async Task RunSh_NonInteractivePostgres_KeepsStateInPostgres_AndStopsIt()
    {
        using var work = new TempDirectory("demo-run-pg");
        var (exitCode, text, took) = await RunAsync(["--non-interactive", "--postgres", "--work-dir", work.Path]);
        output.WriteLine($"demo/run.sh --non-interactive --postgres took {took.TotalSeconds:0.0} s");
        output.WriteLine(text);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{text}");
        Assert.Contains("state in PostgreSQL", text, StringComparison.Ordinal);
        Assert.Matches(@"ok  Prepare: .*PostgreSQL on 127\.0\.0\.1:\d+", text);
        Assert.Matches(@"Propagation: webhook → 2/2 gateways Synced", text);
        var stopped = StoppedLine().Match(text);
        Assert.True(stopped.Success, "no stop report\n" + text);
        Assert.True(stopped.Groups["pids"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 7, "PostgreSQL is among the stopped processes");
        Assert.Empty(ProcessesStartedFrom(work.Path));
    }

    [Fact]
    public void Readme_RunCommand_IsTheTestedCommand()
    {
        var readme = File.ReadAllText(Checkout.Combine("README.md"));
        Assert.Contains($"`{RunCommand}`", readme, StringComparison.Ordinal);
        Assert.Contains($"`{RunCommand} --non-interactive`", readme, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, TimeSpan Took)> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Checkout.Root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in (string[])["demo/run.sh", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var text = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Append(text, e.Data);
        process.ErrorDataReceived += (_, e) => Append(text, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM first: the demo then stops what it started; kill whatever is left after that.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            Assert.Fail($"demo/run.sh did not finish within {Timeout.TotalMinutes:0} minutes\n{Read(text)}");
        }

        process.WaitForExit();
        return (process.ExitCode, Read(text), clock.Elapsed);
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    /// <summary>Every process the demo starts carries STOKER_DEMO_LOG=&lt;work&gt;/logs/…: find any that is still alive.</summary>
    private static List<string> ProcessesStartedFrom(string workDirectory) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, CultureInfo.InvariantCulture, out _))
            .Where(name => IsRunningFrom(int.Parse(name!, CultureInfo.InvariantCulture), workDirectory))
            .Select(name => $"{name}: {ReadOrEmpty($"/proc/{name}/cmdline").Replace('\0', ' ')}")];

    private static bool IsRunningFrom(int pid, string workDirectory) =>
        ReadOrEmpty($"/proc/{pid}/environ").Contains("STOKER_DEMO_LOG=" + workDirectory, StringComparison.Ordinal);

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Stopped (?<count>\d+) processes \(pids (?<pids>[\d ]+)\); none left running\.")]
    private static partial Regex StoppedLine();

    [GeneratedRegex(@"dashboard\s+http://127\.0\.0\.1:(?<port>\d+)/dashboard")]
    private static partial Regex SiloUrl();
}
