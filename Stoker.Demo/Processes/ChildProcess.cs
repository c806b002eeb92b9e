using System.Diagnostics;
using System.Globalization;

namespace Stoker.Demo.Processes;

/// <summary>
/// A program the demo started: in its own session and process group (so a Ctrl-C in the terminal reaches only the
/// demo, which then stops everything in order), with stdout and stderr appended to its log file by the shell that
/// execs it (so no pipe to the demo can fill up, and the log survives the demo). The process id is the program's own.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public const string LogVariable = "STOKER_DEMO_LOG";

    // Settings the demo's own environment must not pass on: each program gets exactly what the plan says.
    private static readonly string[] ClearedPrefixes = ["Stoker__", "ASPNETCORE_", "IGNITION_SIM_"];
    private static readonly string[] ClearedVariables =
    [
        "GIT_TOKEN_FILE", "WEBHOOK_HMAC_SECRET", "WEBHOOK_BEARER_TOKEN", "DOTNET_URLS", "STOKER_SERVER",
        "CR_NAME", "CR_NAMESPACE", "GATEWAY_NAME", "PROFILE", "POD_NAME", "POD_NAMESPACE", "POD_LABELS", "REPO_PATH",
        "DATA_PATH", "GATEWAY_PORT", "GATEWAY_TLS", "API_KEY_FILE", "SILO_ENDPOINTS", "HEALTH_PORT", "METRICS_PORT",
        "SILO_CA_FILE", "SILO_CA", "SILO_TLS_SERVER_NAME", "SILO_ALLOW_INSECURE",
    ];

    private readonly Process _process;
    private readonly bool _signalGroup;
    private readonly string _stopSignal;

    private ChildProcess(string name, Process process, string logPath, string stopSignal, bool signalGroup)
    {
        Name = name;
        _process = process;
        Id = process.Id;
        LogPath = logPath;
        _stopSignal = stopSignal;
        _signalGroup = signalGroup;
    }

    public string Name { get; }

    public int Id { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <param name="stopSignal">What asks the program to stop (TERM for most; INT is PostgreSQL's fast shutdown).</param>
    /// <param name="signalGroup">Whether the stop signal goes to the whole group (CGI children) or the program alone.</param>
    public static ChildProcess Start(
        string name,
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string logPath,
        string workingDirectory,
        string stopSignal = "TERM",
        bool signalGroup = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        // setsid execs (our child is never a group leader), sh opens the log and execs the program: one process id.
        foreach (var argument in (string[])["sh", "-c", $"exec \"$0\" \"$@\" >>\"${LogVariable}\" 2>&1 </dev/null", program])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.ToList())
        {
            if (ClearedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || ClearedVariables.Contains(key))
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment[LogVariable] = logPath;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: could not start {program}");
        return new ChildProcess(name, process, logPath, stopSignal, signalGroup);
    }

    /// <summary>The last lines of the program's log, to show why it failed.</summary>
    public string Tail(int lines = 15)
    {
        try
        {
            var all = File.ReadAllLines(LogPath);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Whether the program ended because a port it wanted was taken (every server here says so the same way).</summary>
    public bool LostAPort()
    {
        try
        {
            return HasExited && File.ReadAllText(LogPath).Contains("already in use", StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Asks the program to stop, waits up to <paramref name="grace"/>, then kills its whole process group.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            await SignalAsync(_stopSignal, _signalGroup);
            using var wait = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: force it below.
            }
        }

        // The group may outlive its leader (CGI children, server backends): nothing of it may stay behind.
        await SignalAsync("KILL", group: true);
        if (!_process.HasExited)
        {
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private Task SignalAsync(string signal, bool group) => SignalAsync(Id, signal, group);

    /// <summary>Sends <paramref name="signal"/> to a process, or to its whole process group.</summary>
    public static async Task SignalAsync(int pid, string signal, bool group)
    {
        var target = (group ? "-" : "") + pid.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in (string[])["-" + signal, "--", target])
        {
            start.ArgumentList.Add(argument);
        }

        using var kill = Process.Start(start);
        if (kill is not null)
        {
            // "No such process" once everything is gone is the expected answer.
            await kill.StandardError.ReadToEndAsync();
            await kill.WaitForExitAsync();
        }
    }
}
