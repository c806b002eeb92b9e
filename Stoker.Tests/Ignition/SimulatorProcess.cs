using System.Diagnostics;

namespace Stoker.Tests.Ignition;

/// <summary>The built <c>ignition-simulator</c> (the copy next to the test assembly) run as a separate process.</summary>
internal sealed class SimulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private SimulatorProcess(Process process, Task<string> stderr, Uri baseUrl)
    {
        _process = process;
        _stderr = stderr;
        BaseUrl = baseUrl;
    }

    public static string Dll { get; } = Path.Join(AppContext.BaseDirectory, "ignition-simulator.dll");

    public Uri BaseUrl { get; }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        Assert.True(File.Exists(Dll), $"ignition-simulator.dll not found next to the tests at {Dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("IGNITION_SIM_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    /// <summary>Starts the simulator on a free loopback port and waits for its "listening on" line.</summary>
    public static async Task<SimulatorProcess> StartAsync(params string[] args)
    {
        var process = Process.Start(StartInfo(["--urls", "http://127.0.0.1:0", .. args]))!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                const string Marker = "ignition-simulator listening on ";
                if (line.StartsWith(Marker, StringComparison.Ordinal))
                {
                    // Keep draining stdout so the simulator's request log never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new SimulatorProcess(process, stderr, new Uri(line[Marker.Length..]));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
        var error = await stderr;
        process.Dispose();
        throw new InvalidOperationException($"ignition-simulator did not report its address within {StartTimeout}; stderr:\n{error}");
    }

    /// <summary>Runs the simulator to its end (for invalid options): exit code and stderr.</summary>
    public static async Task<(int ExitCode, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ignition-simulator {string.Join(' ', args)} kept running");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        await _stderr;
        _process.Dispose();
    }
}
