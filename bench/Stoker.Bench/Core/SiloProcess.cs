using System.Globalization;
using System.Text;
using Stoker.Silo.Webhooks;

namespace Stoker.Bench.Core;

/// <summary>
/// The real <c>stoker-silo</c> program in local mode (in-memory state), on free ports, started for one benchmark
/// phase and killed (with its process tree) on dispose; driven through its apply API and webhook receiver.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string HmacSecret = "bench-webhook-secret";

    /// <summary>Environment variables with this prefix are passed to the silo only, without it.</summary>
    public const string SiloOnlyPrefix = "BENCH_SILO_";

    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, int httpPort, int gatewayPort, string clusterId, string statePath, bool allowInsecureAgents)
    {
        StatePath = statePath;
        AllowInsecureAgents = allowInsecureAgents;
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

    /// <summary>The silo's state folder, in the benchmark's work directory (never the user's own).</summary>
    public string StatePath { get; }

    /// <summary>The CA the silo's certificate chains to: what agents get as <c>SILO_CA_FILE</c>.</summary>
    public string CaFile => Stoker.Grains.Interfaces.Security.StokerStateFolder.CaCertificateFile(StatePath);

    /// <summary>Whether agents connect over plain TCP (<c>Stoker__Silo__AllowInsecureAgents=true</c> among the settings).</summary>
    public bool AllowInsecureAgents { get; }

    /// <summary>The key that signs this silo's agent tokens: simulated agents mint theirs with it.</summary>
    public string AgentTokenKeyFile => Stoker.Grains.Interfaces.Security.StokerStateFolder.AgentTokenKeyFile(StatePath);

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    /// <summary>Current resident set size from /proc, in MB.</summary>
    public double RssMb => MeasuredProcess.RssKb(_process.Id) / 1024.0;

    /// <summary>The silo's output so far, headed with its pid and exit status, for error messages.</summary>
    public string Output => _process.Output;

    public string Tail() => _process.Tail;

    /// <param name="settings">Extra <c>Stoker__…</c> settings, applied over the benchmark's.</param>
    public static async Task<SiloProcess> StartAsync(BenchContext context, IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (httpPort, siloPort, gatewayPort) = (ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort());
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        // Its own state folder, never the user's: the admin token its calls send, the CA agents trust, the key fleets mint tokens with.
        var statePath = Path.Join(context.WorkDirectory, "silo-state-" + clusterId);
        var environment = new Dictionary<string, string>
        {
            ["Stoker__Silo__StatePath"] = statePath,
            ["Stoker__Silo__HttpsPort"] = "0",
            ["Stoker__Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Stoker__Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Stoker__Silo__ClusterId"] = clusterId,
            ["Stoker__Silo__ServiceId"] = clusterId,
            ["Stoker__Webhook__HmacSecret"] = HmacSecret,

            // The rate limit protects the grain from storms; the benchmarks measure the path behind it.
            ["Stoker__Webhook__RateLimit__PermitLimit"] = "100000",
            ["Stoker__Webhook__RateLimit__Window"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        // For experiments on the silo alone (runtime knobs such as DOTNET_TieredPGO, or Stoker__ settings):
        // BENCH_SILO_<name>=<value> in the benchmark's environment reaches only the silo, as <name>=<value>.
        foreach (var (key, value) in SiloOnlyVariables(Environment.GetEnvironmentVariables()))
        {
            environment[key] = value;
        }

        var process = ChildProcess.StartDotnet("stoker-silo", Path.Join(context.ProgramDirectory("Stoker.Silo"), "stoker-silo.dll"),
            ["--urls", $"http://127.0.0.1:{httpPort}"], environment, ["Stoker__"], context.WorkDirectory);
        var silo = new SiloProcess(process, httpPort, gatewayPort, clusterId, environment["Stoker__Silo__StatePath"],
            string.Equals(environment.GetValueOrDefault("Stoker__Silo__AllowInsecureAgents"), "true", StringComparison.OrdinalIgnoreCase));
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

    /// <summary>The <c>BENCH_SILO_</c>-prefixed variables of <paramref name="variables"/>, prefix removed.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> SiloOnlyVariables(System.Collections.IDictionary variables)
    {
        foreach (System.Collections.DictionaryEntry entry in variables)
        {
            if (entry.Key is string key && key.StartsWith(SiloOnlyPrefix, StringComparison.Ordinal) && key.Length > SiloOnlyPrefix.Length && entry.Value is string value)
            {
                yield return new(key[SiloOnlyPrefix.Length..], value);
            }
        }
    }

    private async Task WaitHealthyAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"stoker-silo exited:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var token = (await File.ReadAllTextAsync(Stoker.Grains.Interfaces.Security.StokerStateFolder.AdminTokenFile(StatePath), cancellationToken)).Trim();
                    Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        throw new TimeoutException($"stoker-silo did not answer /healthz within 90 s:\n{Output}");
    }

    /// <summary>PUTs a GatewaySync manifest through the apply API.</summary>
    public async Task ApplyAsync(string @namespace, string name, string yaml, CancellationToken cancellationToken)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await Http.PutAsync(new Uri($"apis/stoker.io/v1alpha1/namespaces/{@namespace}/gatewaysyncs/{name}", UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"apply {@namespace}/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>
    /// Sends a signed GitHub push webhook for <paramref name="commit"/> on main to one GatewaySync and returns the
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp taken just before sending; throws unless it was accepted.
    /// </summary>
    public async Task<long> PushAsync(string @namespace, string name, string commit, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"ref\":\"refs/heads/main\",\"before\":\"0000000000000000000000000000000000000001\",\"after\":\"{commit}\"}}");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"webhook/{@namespace}/{name}", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WebhookReceiverEndpoint.GitHubEventHeader, "push");
        request.Headers.Add(WebhookSignature.HmacHeader, WebhookSignature.Sign(body, HmacSecret));
        var sent = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await Http.SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted || !answer.Contains("\"accepted\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"webhook {@namespace}/{name}: {(int)response.StatusCode} {answer}");
        }

        return sent;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }
}
