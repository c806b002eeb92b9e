using System.Globalization;
using System.Net;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The long-running agent's settings. Names are the original's environment variables where they exist, plus the
/// control-plane connection; each is equally settable as <c>--lower-kebab-name</c> on the command line.
/// </summary>
public sealed class AgentOptions
{
    public string PodName { get; init; } = "";
    public string PodNamespace { get; init; } = "";
    public string CrName { get; init; } = "";
    public string CrNamespace { get; init; } = "";
    public string GatewayName { get; init; } = "";
    public string? Profile { get; init; }
    public string RepoPath { get; init; } = "/repo";
    public string DataPath { get; init; } = "/ignition-data";
    public int SyncPeriodSeconds { get; init; } = SyncDefaults.DefaultSyncPeriod;
    public IReadOnlyList<IPEndPoint> SiloEndpoints { get; init; } = [];
    public string ClusterId { get; init; } = "stoker";
    public string ServiceId { get; init; } = "stoker";
    public int HealthPort { get; init; } = 8082;
    public int MetricsPort { get; init; } = 8083;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan PostCommissionInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How often a sync scans every managed file anyway (<c>VERIFY_INTERVAL</c>); between those scans a sync trusts its
    /// manifest plus the data directory's change feed (docs/sync-engine.md, "The change feed"). Zero scans on every sync.
    /// </summary>
    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    public string? GitTokenFile { get; init; }

    /// <summary>
    /// The agent's identity in a cluster: a projected service-account token file the kubelet rotates, so it is
    /// read again whenever it is presented, never cached from start.
    /// </summary>
    public string? AgentTokenFile { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string GatewayKey => GrainKeys.Gateway(CrNamespace, CrName, GatewayName);

    /// <summary>Reads every setting through <paramref name="variable"/> (command line over environment); all problems at once.</summary>
    public static AgentOptions Parse(Func<string, string?> variable, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        string? Get(string name) => variable(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;
        int Int(string name, int fallback, int min, int max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                problems.Add($"{Named(name)}: \"{text}\": must be an integer between {min} and {max}");
                return fallback;
            }

            return value;
        }

        TimeSpan Seconds(string name, TimeSpan fallback) => Get(name) is null ? fallback : TimeSpan.FromSeconds(Int(name, (int)fallback.TotalSeconds, 1, 3600));

        var podName = Get("POD_NAME") ?? Environment.MachineName;
        var podNamespace = Get("POD_NAMESPACE") ?? Get("CR_NAMESPACE") ?? "";
        var crName = Get("CR_NAME") ?? "";
        var crNamespace = Get("CR_NAMESPACE") ?? podNamespace;
        if (crName.Length == 0)
        {
            problems.Add("CR_NAME (--cr-name): required: the GatewaySync this gateway belongs to");
        }

        if (crNamespace.Length == 0)
        {
            problems.Add("CR_NAMESPACE (--cr-namespace) or POD_NAMESPACE (--pod-namespace): required: the GatewaySync's namespace");
        }

        var endpoints = new List<IPEndPoint>();
        foreach (var item in (Get("SILO_ENDPOINTS") ?? "127.0.0.1:30000").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPEndPoint.TryParse(item, out var endpoint) && endpoint.Port > 0)
            {
                endpoints.Add(endpoint);
            }
            else if (item.Split(':') is [var host, var port] && host.Length > 0 && int.TryParse(port, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535)
            {
                // A name (a Kubernetes Service) is resolved once: a Service's cluster IP outlives the silo pods behind it.
                if (Resolve(host) is { } address)
                {
                    endpoints.Add(new IPEndPoint(address, p));
                }
                else
                {
                    problems.Add($"SILO_ENDPOINTS (--silo-endpoints): \"{item}\": the host name \"{host}\" does not resolve to an address");
                }
            }
            else
            {
                problems.Add($"SILO_ENDPOINTS (--silo-endpoints): \"{item}\": must be host:port (comma-separated for several silos)");
            }
        }

        if (endpoints.Count == 0 && !problems.Any(e => e.StartsWith("SILO_ENDPOINTS", StringComparison.Ordinal)))
        {
            problems.Add($"SILO_ENDPOINTS (--silo-endpoints): \"{Get("SILO_ENDPOINTS")}\": names no endpoint; give host:port (comma-separated for several silos)");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (Get("POD_LABELS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (pair.Split('=', 2) is [var key, var value] && key.Length > 0)
            {
                labels[key] = value;
            }
            else
            {
                problems.Add($"POD_LABELS (--pod-labels): \"{pair}\": must be key=value (comma-separated)");
            }
        }

        var options = new AgentOptions
        {
            PodName = podName,
            PodNamespace = podNamespace,
            CrName = crName,
            CrNamespace = crNamespace,
            GatewayName = Get("GATEWAY_NAME") ?? podName,
            Profile = Get("PROFILE"),
            RepoPath = Get("REPO_PATH") ?? "/repo",
            DataPath = Get("DATA_PATH") ?? "/ignition-data",
            SyncPeriodSeconds = Int("SYNC_PERIOD", SyncDefaults.DefaultSyncPeriod, 1, 86_400),
            SiloEndpoints = endpoints,
            ClusterId = Get("ORLEANS_CLUSTER_ID") ?? "stoker",
            ServiceId = Get("ORLEANS_SERVICE_ID") ?? "stoker",
            HealthPort = Int("HEALTH_PORT", 8082, 0, 65535),
            MetricsPort = Int("METRICS_PORT", 8083, 0, 65535),
            HeartbeatInterval = Seconds("HEARTBEAT_INTERVAL", TimeSpan.FromSeconds(20)),
            ShutdownTimeout = Seconds("SHUTDOWN_TIMEOUT", TimeSpan.FromSeconds(15)),
            PostCommissionInterval = Seconds("POST_COMMISSION_INTERVAL", TimeSpan.FromSeconds(5)),
            VerifyInterval = TimeSpan.FromSeconds(Int("VERIFY_INTERVAL", 600, 0, 86_400)),
            GitTokenFile = Get("GIT_TOKEN_FILE"),
            AgentTokenFile = Get("AGENT_TOKEN_FILE"),
            Labels = labels,
        };

        if (Path.GetFullPath(options.RepoPath) == Path.GetFullPath(options.DataPath))
        {
            problems.Add($"REPO_PATH (--repo-path): \"{options.RepoPath}\": must differ from DATA_PATH");
        }

        // Whether the file exists is checked at each registration, not here: a missing or unreadable token is reported
        // and retried (the kubelet may be late or replacing it), where a start-up error would put the sidecar in a crash loop.
        if (options.AgentTokenFile is { } tokenFile && !Path.IsPathFullyQualified(tokenFile))
        {
            problems.Add($"{Named("AGENT_TOKEN_FILE")}: \"{tokenFile}\": must be an absolute path");
        }

        errors = problems;
        return options;
    }

    /// <summary><c>SYNC_PERIOD (--sync-period)</c>: errors name the variable and the command-line option alike.</summary>
    private static string Named(string variable) => $"{variable} (--{variable.ToLowerInvariant().Replace('_', '-')})";

    private static IPAddress? Resolve(string host)
    {
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>The names understood, for <c>--help</c>.</summary>
    public static IReadOnlyList<(string Variable, string Meaning)> Settings { get; } =
    [
        ("POD_NAME", "pod name: {{.PodName}}, default gateway name (default: host name)"),
        ("POD_NAMESPACE", "pod namespace"),
        ("CR_NAME", "GatewaySync name (required)"),
        ("CR_NAMESPACE", "GatewaySync namespace (default: POD_NAMESPACE)"),
        ("GATEWAY_NAME", "gateway identity (default: POD_NAME)"),
        ("PROFILE", "profile to sync (default: \"default\")"),
        ("POD_LABELS", "labels for {{.Labels}}, k=v comma-separated"),
        ("REPO_PATH", "work directory for the clone and the sync manifest (default /repo)"),
        ("DATA_PATH", "the gateway's data directory (default /ignition-data)"),
        ("GATEWAY_PORT", "Ignition API port (default 8088)"),
        ("GATEWAY_TLS", "use https for the Ignition API (default false)"),
        ("API_KEY_FILE", "file holding the Ignition API token (name:secret)"),
        ("IGNITION_CA_FILE", "CA certificate for the gateway's TLS"),
        ("IGNITION_INSECURE_SKIP_TLS_VERIFY", "skip TLS verification (explicit opt-in)"),
        ("SYNC_PERIOD", "fallback check interval in seconds (default 30)"),
        ("GIT_TOKEN_FILE", "file holding an HTTPS token for the repository"),
        ("AGENT_TOKEN_FILE", "file holding the agent's identity token (a projected service-account token in Kubernetes)"),
        ("SILO_ENDPOINTS", "control plane gateway endpoints host:port[,host:port] (default 127.0.0.1:30000)"),
        ("ORLEANS_CLUSTER_ID", "cluster id (default stoker)"),
        ("ORLEANS_SERVICE_ID", "service id (default stoker)"),
        ("HEALTH_PORT", "health endpoints port (default 8082; 0 picks a free port)"),
        ("METRICS_PORT", "Prometheus metrics port (default 8083; 0 picks a free port)"),
        ("HEARTBEAT_INTERVAL", "seconds between subscription renewals (default 20)"),
        ("SHUTDOWN_TIMEOUT", "seconds an in-flight sync may take after SIGTERM (default 15)"),
        ("IGNITION_REQUEST_TIMEOUT", "bound on each Ignition API call, e.g. 30s, 1500ms (default 30s)"),
        ("DESIGNER_POLL_INTERVAL", "how often the designer policy \"wait\" asks again, e.g. 10s (default 10s)"),
        ("DESIGNER_MAX_WAIT", "how long the designer policy \"wait\" waits for sessions to close, e.g. 5m (default 5m)"),
        ("POST_COMMISSION_INTERVAL", "seconds between gateway port checks before the post-commission re-sync (default 5)"),
        ("VERIFY_INTERVAL", "seconds between full scans of the managed files; syncs in between trust the manifest and the change feed (default 600; 0 scans on every sync)"),
    ];
}
