using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// The real <c>stoker-silo</c> program (its own <c>Program.cs</c>, built in its project's output: see
/// <see cref="BuiltProgram"/>) as a child process on free loopback ports, configured only by the test's
/// <see cref="SiloProcessSettings"/>: nothing from the test runner's <c>Stoker__…</c> or <c>ASPNETCORE_…</c> environment
/// reaches it. Its console lines are kept for assertions; it can be killed (SIGKILL) and restarted on the same ports,
/// with the same settings, into the same output; dispose kills its process tree and deletes its temp folder.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly SiloProcessSettings _settings;
    private readonly List<string> _lines = [];
    private readonly TempDirectory _temp = new("silo");
    private Process _process;
    private bool _disposed;

    private SiloProcess(SiloProcessSettings settings)
    {
        _settings = settings;
        (HttpPort, SiloPort, GatewayPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        HttpsPort = settings.Https ? FreePort.Next() : 0;
        ClusterId = settings.Environment.GetValueOrDefault("Stoker__Silo__ClusterId")
            ?? settings.ClusterId ?? $"{settings.Name}-{Guid.NewGuid().ToString("N")[..8]}";
        ServiceId = settings.Environment.GetValueOrDefault("Stoker__Silo__ServiceId") ?? settings.ServiceId ?? ClusterId;
        AdminToken = new AdminTokenHandler(() => StatePath);
        Http = new HttpClient(AdminToken) { BaseAddress = Address, Timeout = settings.HttpTimeout };
        Anonymous = new HttpClient { BaseAddress = Address, Timeout = settings.HttpTimeout };
        try
        {
            _process = Launch();
        }
        catch
        {
            Http.Dispose();
            Anonymous.Dispose();
            _temp.Dispose();
            throw;
        }
    }

    public string Name => _settings.Name;

    public int HttpPort { get; }

    public int SiloPort { get; }

    /// <summary>The Orleans gateway port: what agents list in <c>SILO_ENDPOINTS</c>.</summary>
    public int GatewayPort { get; }

    public string ClusterId { get; }

    /// <summary>The silo's state folder (<c>Stoker:Silo:StatePath</c>) unless the settings give one.</summary>
    public string StatePath => _settings.Environment.GetValueOrDefault("Stoker__Silo__StatePath") ?? System.IO.Path.Join(_temp.Path, "state");

    /// <summary>The CA agents are given (<c>SILO_CA_FILE</c>): <c>Stoker:Silo:Tls:CaFile</c> if set, else the state folder's.</summary>
    public string CaFile => _settings.Environment.GetValueOrDefault("Stoker__Silo__Tls__CaFile")
        ?? Stoker.Grains.Interfaces.Security.StokerStateFolder.CaCertificateFile(StatePath);

    public string ServiceId { get; }

    public Uri Address => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The HTTPS port when <see cref="SiloProcessSettings.Https"/> is set; else 0.</summary>
    public int HttpsPort { get; }

    /// <summary>The HTTPS address (certificate from the state folder, issued by <see cref="CaFile"/>) when <see cref="SiloProcessSettings.Https"/> is set.</summary>
    public Uri HttpsAddress => HttpsPort > 0 ? new($"https://127.0.0.1:{HttpsPort}") : throw new InvalidOperationException("the silo was started without Https");

    /// <summary>
    /// A client for <see cref="Address"/> that sends the silo's admin token (from <see cref="StatePath"/>, once written)
    /// unless the request sets its own Authorization; it outlives restarts.
    /// </summary>
    public HttpClient Http { get; }

    /// <summary>The admin token <see cref="Http"/> sends; null before the silo wrote it (or when it writes none).</summary>
    public AdminTokenHandler AdminToken { get; }

    /// <summary>A client for <see cref="Address"/> that sends no credentials.</summary>
    public HttpClient Anonymous { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process ended, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the silo wrote to stdout and stderr so far, across restarts, a line each.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                var text = new StringBuilder();
                foreach (var line in _lines)
                {
                    text.Append(line).Append('\n');
                }

                return text.ToString();
            }
        }
    }

    /// <summary>The lines of <see cref="Output"/>.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the silo without waiting for it (the test waits for what it needs, e.g. every probe of a manifest).</summary>
    public static SiloProcess Start(SiloProcessSettings settings) => new(settings);

    /// <summary>Starts the silo and waits, within <see cref="SiloProcessSettings.StartTimeout"/>, until <c>/healthz</c> answers 200.</summary>
    public static async Task<SiloProcess> StartAsync(SiloProcessSettings settings)
    {
        var silo = Start(settings);
        try
        {
            await silo.WaitUntilHealthyAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits, within <see cref="SiloProcessSettings.StartTimeout"/>, until <c>/healthz</c> answers 200; fails at once if the process ends.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        try
        {
            await Eventually.Until(() => StatusAsync("/healthz"), s => s == 200 || HasExited, _settings.StartTimeout, $"{Name}'s /healthz");
        }
        catch (TimeoutException e)
        {
            // The output as it is at the deadline, not as it was when the wait began.
            throw new TimeoutException($"{e.Message}\n--- {Name} ---\n{Output}", e);
        }

        Assert.False(HasExited, $"{Name} exited with {(HasExited ? _process.ExitCode : 0)} while starting:\n{Output}");
    }

    /// <summary>SIGKILL to the process tree: no shutdown, no goodbye to the agents, every in-memory state lost.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the silo if it still runs and starts it again on the same ports with the same settings, as an operator would.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process.Dispose();
        _process = Launch();
        await WaitUntilHealthyAsync();
    }

    /// <summary>The status <paramref name="path"/> answers with; 0 while nothing accepts the connection.</summary>
    public async Task<int> StatusAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<string> GetStringAsync(string path) => Http.GetStringAsync(new Uri(path, UriKind.Relative));

    /// <summary>
    /// Mints an agent token for <paramref name="gatewayKey"/> through the silo's API (<c>POST /api/v1/agent-tokens</c>, as
    /// <c>stoker agent-token create</c> does) and writes it to <paramref name="path"/>, for an agent's <c>AGENT_TOKEN_FILE</c>.
    /// </summary>
    public async Task<string> MintAgentTokenFileAsync(string gatewayKey, string path, string? ttl = null)
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["gateway"] = gatewayKey };
        if (ttl is not null)
        {
            body["ttl"] = ttl;
        }

        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri("/api/v1/agent-tokens", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"minting an agent token for {gatewayKey}: {(int)response.StatusCode} {text}");
        await File.WriteAllTextAsync(path, System.Text.Json.Nodes.JsonNode.Parse(text)!["token"]!.GetValue<string>() + "\n");
        return path;
    }

    /// <summary>The process's peak resident set (VmHWM in /proc), in bytes: what the kernel had to give it at most.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Http.Dispose();
        Anonymous.Dispose();
        await KillAsync();
        _process.Dispose();
        _temp.Dispose();
    }

    private Process Launch()
    {
        var dll = BuiltProgram.Find("Stoker.Silo", "stoker-silo.dll");
        Assert.True(File.Exists(dll), $"stoker-silo.dll not found at {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var arguments = _settings.Arguments.ToList();
        var urls = arguments.IndexOf("--urls");
        if (urls < 0 || urls == arguments.Count - 1)
        {
            arguments.AddRange(["--urls", ""]);
            urls = arguments.Count - 2;
        }

        arguments[urls + 1] = $"http://127.0.0.1:{HttpPort}";
        foreach (var argument in (string[])[dll, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys
            .Where(k => k.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            // Nothing from the test runner's environment may configure the silo behind the test's back.
            start.Environment.Remove(key);
        }

        start.Environment["Stoker__Silo__ClusterId"] = ClusterId;
        start.Environment["Stoker__Silo__ServiceId"] = ServiceId;
        foreach (var (key, value) in _settings.Environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["Stoker__Silo__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Stoker__Silo__GatewayPort"] = GatewayPort.ToString(CultureInfo.InvariantCulture);
        // What the silo puts in its temp folder (SSH key files, ls-remote folders) goes where dispose deletes it, even after SIGKILL.
        start.Environment["TMPDIR"] = _temp.Path;
        // Its state folder (CA, keys, admin token) is its own and outlives restarts, as an operator's would.
        start.Environment.TryAdd("Stoker__Silo__StatePath", StatePath);
        // The product's HTTPS port (Stoker:Silo:HttpsPort) when the test asks for it; otherwise none, since its
        // default, 8443, would be one port for every silo of a parallel run.
        start.Environment.TryAdd("Stoker__Silo__HttpsPort", HttpsPort.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
