using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Monitoring;

/// <summary>
/// A real Prometheus (Debian's) on a free loopback port, scraping the given targets every second, with its storage in
/// a temp folder; dispose kills it and deletes the folder. Queried through its HTTP API as Grafana queries it.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly TempDirectory _temp = new("prometheus");
    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private readonly HttpClient _http;

    private PrometheusProcess(IReadOnlyDictionary<string, string> jobs)
    {
        Port = FreePort.Next();
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var (job, target) in jobs)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    metrics_path: /metrics\n    static_configs:\n      - targets: [\"{target}\"]\n");
        }

        ConfigPath = _temp.Combine("prometheus.yml");
        File.WriteAllText(ConfigPath, config.ToString());
        var start = new ProcessStartInfo(PrometheusTools.Prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _temp.Path,
        };
        foreach (var arg in new[]
        {
            "--config.file=" + ConfigPath,
            "--storage.tsdb.path=" + _temp.Combine("data"),
            "--web.listen-address=127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture),
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public string ConfigPath { get; }

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

    /// <summary>Starts Prometheus scraping <paramref name="jobs"/> (job name → host:port) and waits until every target is up.</summary>
    public static async Task<PrometheusProcess> StartAsync(IReadOnlyDictionary<string, string> jobs)
    {
        var prometheus = new PrometheusProcess(jobs);
        try
        {
            await Eventually.Until(prometheus.TargetHealthAsync, h => h.Count == jobs.Count && h.Values.All(v => v == "up"),
                TimeSpan.FromSeconds(60), "every Prometheus target up\n" + prometheus.Output);
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>Each target's job and health (<c>up</c>, <c>down</c>, <c>unknown</c>); empty while Prometheus does not answer.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TargetHealthAsync()
    {
        Assert.False(_process.HasExited, "Prometheus exited:\n" + Output);
        try
        {
            using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/v1/targets?state=active", UriKind.Relative)));
            return document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .ToDictionary(t => t.GetProperty("labels").GetProperty("job").GetString()!, t => t.GetProperty("health").GetString()!, StringComparer.Ordinal);
        }
        catch (HttpRequestException)
        {
            return new Dictionary<string, string>();
        }
    }

    /// <summary>An instant query at the current time; throws with Prometheus' message when the expression is refused.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string expression)
    {
        using var response = await _http.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(expression), UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        if (document.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {expression}: {body}");
        }

        var data = document.RootElement.GetProperty("data");
        return data.GetProperty("resultType").GetString() is "vector" or "matrix"
            ? [.. data.GetProperty("result").EnumerateArray().Select(e => e.Clone())]
            : [data.GetProperty("result").Clone()];
    }

    /// <summary>The values <paramref name="label"/> takes on the series <paramref name="selector"/> selects (Grafana's label_values).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string selector)
    {
        var path = $"/api/v1/label/{Uri.EscapeDataString(label)}/values?match[]={Uri.EscapeDataString(selector)}";
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri(path, UriKind.Relative)));
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _temp.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Append(line).Append('\n');
            }
        }
    }
}
