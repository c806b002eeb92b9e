using System.Diagnostics;
using System.Text;
using Stoker.Tests.AgentCli;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>A real <c>stoker-agent run</c> process for one gateway, with its health port; killed on dispose.</summary>
public sealed partial class AgentProcessHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcessHost(Process process, int healthPort, int metricsPort, string dataPath)
    {
        _process = process;
        HealthPort = healthPort;
        MetricsPort = metricsPort;
        DataPath = dataPath;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HealthPort { get; }

    public int MetricsPort { get; }

    public string DataPath { get; }

    public Process Process => _process;

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

    public static AgentProcessHost Start(IReadOnlyDictionary<string, string> environment, string dataPath)
    {
        var healthPort = FreePort.Next();
        var metricsPort = FreePort.Next();
        var start = AgentProcess.StartInfo(["run"]);
        foreach (var key in start.Environment.Keys.Where(k => AgentOptionNames.Contains(k)).ToList())
        {
            // Nothing from the test runner's environment may configure the agent behind the test's back.
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["DATA_PATH"] = dataPath;
        start.Environment["HEALTH_PORT"] = healthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["METRICS_PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new AgentProcessHost(Process.Start(start)!, healthPort, metricsPort, dataPath);
    }

    public async Task<(int Status, string Body)> GetAsync(int port, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    /// <summary>Sends SIGTERM (as kubelet does) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        await SendTerminateAsync();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Sends SIGTERM and returns at once.</summary>
    public async Task SendTerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The exit code; throws <see cref="TimeoutException"/> (with the agent's output) if it has not exited in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the agent did not exit within {timeout.TotalSeconds:0.#} s\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// The value of one sample line of <c>/metrics</c> (<c>name{labels}</c> as exposed, less the identity labels every
    /// agent series carries: <c>namespace</c>, <c>gatewaysync</c>, <c>gateway</c>), or null.
    /// </summary>
    public async Task<double?> MetricAsync(string series)
    {
        var (status, body) = await GetAsync(MetricsPort, "/metrics");
        if (status != 200)
        {
            return null;
        }

        foreach (var line in body.Split('\n'))
        {
            var sample = WithoutIdentity(line);
            if (sample.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(sample[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>A sample line without the agent's identity labels (Stoker.AgentClient.Runtime.AgentMetrics.IdentityLabels).</summary>
    public static string WithoutIdentity(string line) =>
        IdentityLabel().Replace(line, "").Replace("{,", "{", StringComparison.Ordinal).Replace("{}", "", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex("""
        ,?\b(?:namespace|gatewaysync|gateway)="(?:[^"\\]|\\.)*"
        """, System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex IdentityLabel();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>Every variable <c>stoker-agent run</c> reads.</summary>
    private static readonly HashSet<string> AgentOptionNames = [.. Stoker.AgentClient.Runtime.AgentOptions.Settings.Select(s => s.Variable), "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID"];

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
