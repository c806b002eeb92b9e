using System.Diagnostics;
using System.Text;
using Stoker.Tests.AgentCli;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>A real <c>stoker-agent run</c> process for one gateway, with its health port; killed on dispose.</summary>
public sealed class AgentProcessHost : IAsyncDisposable
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
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

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
