using System.Diagnostics;
using System.Globalization;
using System.Text;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>
/// The built silo (<c>stoker-silo.dll</c>) as a real process with in-memory storage on free ports, for inputs that
/// could end a process: a stack overflow there fails the test instead of killing the test host.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private SiloProcess(Process process, StringBuilder output, Uri address)
    {
        _process = process;
        _output = output;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public Uri Address => Http.BaseAddress!;

    public bool HasExited => _process.HasExited;

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

    /// <summary>Starts the silo with the given <c>Stoker__…</c> settings and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var dll = BuiltProgram.Find("Stoker.Silo", "stoker-silo.dll");
        Assert.True(File.Exists(dll), $"stoker-silo.dll not found at {dll}");
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            // Nothing from the test runner's environment may configure the silo behind the test's back.
            start.Environment.Remove(key);
        }

        start.Environment["Stoker__Silo__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__ClusterId"] = "hostile-" + Guid.NewGuid().ToString("N")[..8];
        start.Environment["Stoker__Silo__ServiceId"] = "hostile";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
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
        var silo = new SiloProcess(process, output, new Uri($"http://127.0.0.1:{httpPort}"));
        try
        {
            await Eventually.Until(silo.HealthAsync, s => s == 200 || s == -2, TimeSpan.FromSeconds(90), "the silo's /healthz");
            Assert.False(process.HasExited, $"the silo exited with {(process.HasExited ? process.ExitCode : 0)} while starting:\n{silo.Output}");
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>The status of <c>/healthz</c>: -1 while nothing answers, -2 once the process is gone.</summary>
    public async Task<int> HealthAsync()
    {
        if (_process.HasExited)
        {
            return -2;
        }

        try
        {
            using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return _process.HasExited ? -2 : -1;
        }
    }

    /// <summary>The process's peak resident set (VmHWM in /proc), in bytes: what the kernel had to give it at most.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
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
}
