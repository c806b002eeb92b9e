using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Hosting;

/// <summary>
/// The real <c>stoker-silo</c> program (its own <c>Program.cs</c>: health checks, dashboard, apply API, webhook
/// receiver) as a child process on free loopback ports, with only the given <c>Stoker__…</c> settings; killed with its
/// process tree on dispose.
/// </summary>
public sealed class SiloProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProgram(Process process, int httpPort)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

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

    /// <summary>Starts the silo and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<SiloProgram> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var dll = BuiltProgram.Find("Stoker.Silo", "stoker-silo.dll");
        Assert.True(File.Exists(dll), $"stoker-silo.dll not found at {dll}");
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[dll, "--urls", $"http://127.0.0.1:{httpPort}"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            // Nothing from the test runner's environment may configure the silo behind the test's back.
            start.Environment.Remove(key);
        }

        var clusterId = "prog-" + Guid.NewGuid().ToString("N")[..8];
        start.Environment["Stoker__Silo__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__ClusterId"] = clusterId;
        start.Environment["Stoker__Silo__ServiceId"] = clusterId;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var silo = new SiloProgram(Process.Start(start)!, httpPort);
        silo._process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        try
        {
            await Eventually.Until(() => silo.StatusAsync("/healthz"), s => s == 200 || silo._process.HasExited, TimeSpan.FromSeconds(90), "the silo's /healthz");
            Assert.False(silo._process.HasExited, "the silo exited:\n" + silo.Output);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    public async Task<int> StatusAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return (int)response.StatusCode;
    }

    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
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
