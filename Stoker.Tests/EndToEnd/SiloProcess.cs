using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.EndToEnd;

/// <summary>
/// A real <c>stoker-silo</c> process in memory mode on fixed loopback ports, so that a test can kill it (SIGKILL)
/// and start a new one on the same ports, as an operator restarting a crashed silo would.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private SiloProcess(Process process, StringBuilder output, SiloPorts ports)
    {
        _process = process;
        _output = output;
        Ports = ports;
    }

    public SiloPorts Ports { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Ports.Http}");

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the silo wrote so far (shared across restarts of the same test when given the same buffer).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the silo and waits (with a deadline) for its <c>/healthz</c>.</summary>
    public static async Task<SiloProcess> StartAsync(SiloPorts ports, IReadOnlyDictionary<string, string>? environment = null, StringBuilder? output = null)
    {
        var dll = BuiltProgram.Find("Stoker.Silo", "stoker-silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{ports.Http}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            // Nothing from the test runner's environment may configure the silo behind the test's back.
            start.Environment.Remove(key);
        }

        start.Environment["Stoker__Silo__SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__ClusterId"] = ports.ClusterId;
        start.Environment["Stoker__Silo__ServiceId"] = ports.ClusterId;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        output ??= new StringBuilder();
        var process = Process.Start(start)!;
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, output, ports);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Until(async () =>
        {
            Assert.False(process.HasExited, "the silo exited\n" + silo.Output);
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            return (int)response.StatusCode;
        }, s => s == 200, TimeSpan.FromSeconds(60), "the silo's /healthz\n" + silo.Output);
        return silo;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the agents, every in-memory state lost.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}

/// <summary>The ports and cluster of one silo; a restarted silo reuses them so agents find it again.</summary>
public sealed record SiloPorts(int Http, int Silo, int Gateway, string ClusterId)
{
    public static SiloPorts Next() => new(FreePort.Next(), FreePort.Next(), FreePort.Next(), "restart-" + Guid.NewGuid().ToString("N")[..8]);
}
