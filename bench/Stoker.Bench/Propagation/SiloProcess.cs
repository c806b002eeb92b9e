using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stoker.Bench.Core;

namespace Stoker.Bench.Propagation;

/// <summary>
/// The real <c>stoker-silo</c> program in local mode (in-memory state), on free ports, started for one benchmark
/// phase and killed (with its process tree) on dispose. Its output is kept (the last lines) for error messages.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string HmacSecret = "bench-webhook-secret";

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private SiloProcess(Process process, int httpPort, int gatewayPort, string clusterId)
    {
        _process = process;
        HttpPort = httpPort;
        GatewayPort = gatewayPort;
        ClusterId = clusterId;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public int HttpPort { get; }

    /// <summary>The Orleans gateway port agents connect to.</summary>
    public int GatewayPort { get; }

    public string ClusterId { get; }

    public string ServiceId => ClusterId;

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    /// <summary>Current resident set size from /proc, in MB.</summary>
    public double RssMb => MeasuredProcess.RssKb(_process.Id) / 1024.0;

    public static async Task<SiloProcess> StartAsync(BenchContext context, IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dll = Path.Join(context.ProgramDirectory("Stoker.Silo"), "stoker-silo.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution ({context.Configuration}) first");
        }

        var (httpPort, siloPort, gatewayPort) = (FreePort(), FreePort(), FreePort());
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = context.WorkDirectory,
        };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{httpPort}" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["Stoker__Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__ClusterId"] = clusterId;
        start.Environment["Stoker__Silo__ServiceId"] = clusterId;
        start.Environment["Stoker__Webhook__HmacSecret"] = HmacSecret;

        // The rate limit protects the grain from storms; the benchmark measures the path behind it.
        start.Environment["Stoker__Webhook__RateLimit__PermitLimit"] = "100000";
        start.Environment["Stoker__Webhook__RateLimit__Window"] = "00:00:01";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start stoker-silo");
        var silo = new SiloProcess(process, httpPort, gatewayPort, clusterId);
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitHealthyAsync(context.Time, cancellationToken);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    private async Task WaitHealthyAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"stoker-silo exited with {_process.ExitCode}:\n{Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }

        throw new TimeoutException($"stoker-silo did not answer /healthz within 60 s:\n{Tail()}");
    }

    /// <summary>PUTs a GatewaySync manifest through the apply API.</summary>
    public async Task ApplyAsync(string @namespace, string name, string yaml, CancellationToken cancellationToken)
    {
        using var content = new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml");
        using var response = await Http.PutAsync(new Uri($"apis/stoker.io/v1alpha1/namespaces/{@namespace}/gatewaysyncs/{name}", UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"apply {@namespace}/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 60)
            {
                _tail.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
