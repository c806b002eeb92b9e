using System.Net;
using System.Security.Cryptography.X509Certificates;
using Stoker.AgentClient.Ignition;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The long-running agent's settings. Names are the original's environment variables where they exist, plus the
/// control-plane connection; each is equally settable as <c>--lower-kebab-name</c> on the command line. Bound from
/// configuration by <see cref="AgentOptionsSetup"/> and checked by <see cref="AgentOptionsValidator"/> (docs/standalone-agent.md).
/// </summary>
public sealed class AgentOptions
{
    public string PodName { get; set; } = "";
    public string PodNamespace { get; set; } = "";
    public string CrName { get; set; } = "";
    public string CrNamespace { get; set; } = "";
    public string GatewayName { get; set; } = "";
    public string? Profile { get; set; }
    public string RepoPath { get; set; } = "/repo";
    public string DataPath { get; set; } = "/ignition-data";
    public int SyncPeriodSeconds { get; set; } = SyncDefaults.DefaultSyncPeriod;
    public IReadOnlyList<IPEndPoint> SiloEndpoints { get; set; } = [];
    /// <summary>The CA that issued the silo's certificate, as a PEM file (<c>SILO_CA_FILE</c>).</summary>
    public string? SiloCaFile { get; set; }

    /// <summary>The same CA as PEM text (<c>SILO_CA</c>), what the sidecar injector sets.</summary>
    public string? SiloCa { get; set; }

    /// <summary>
    /// The certificates read from <see cref="SiloCaFile"/> or <see cref="SiloCa"/>: the only roots a silo's certificate
    /// may chain to (the system's trust store plays no part).
    /// </summary>
    public X509Certificate2Collection? SiloCaCertificates { get; set; }

    /// <summary>The name the silo's certificate must carry (<c>SILO_TLS_SERVER_NAME</c>), whatever address it is reached on.</summary>
    public string SiloTlsServerName { get; set; } = Stoker.Grains.Interfaces.Security.SiloCertificateTrust.DefaultServerName;

    /// <summary>Plain TCP to the silo (<c>SILO_ALLOW_INSECURE</c>): an explicit opt-in for a silo with <c>Stoker:Silo:AllowInsecureAgents</c>.</summary>
    public bool SiloAllowInsecure { get; set; }

    public string ClusterId { get; set; } = "stoker";
    public string ServiceId { get; set; } = "stoker";
    public int HealthPort { get; set; } = 8082;
    public int MetricsPort { get; set; } = 8083;
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan PostCommissionInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How often a sync scans every managed file anyway (<c>VERIFY_INTERVAL</c>); between those scans a sync trusts its
    /// manifest plus the data directory's change feed (docs/sync-engine.md, "The change feed"). Zero scans on every sync.
    /// </summary>
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromMinutes(10);

    public string? GitTokenFile { get; set; }

    /// <summary>
    /// The agent's identity in a cluster: a projected service-account token file the kubelet rotates, so it is
    /// read again whenever it is presented, never cached from start.
    /// </summary>
    public string? AgentTokenFile { get; set; }
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// What the binder could not turn into a value (not a number, not host:port, …): a text that is not a number
    /// cannot be kept in an <see cref="int"/>, so binding records the problem here and
    /// <see cref="AgentOptionsValidator"/> reports it with the rules that check the values.
    /// </summary>
    public IReadOnlyList<string> SettingErrors { get; set; } = [];

    /// <summary>How the agent reaches its gateway (<c>GATEWAY_PORT</c>, <c>API_KEY_FILE</c>, …), read with the other settings.</summary>
    public IgnitionClientOptions Ignition { get; set; } = new();

    public string GatewayKey => GrainKeys.Gateway(CrNamespace, CrName, GatewayName);

    /// <summary>
    /// Reads every setting through <paramref name="variable"/> (command line over environment) and checks them as
    /// <c>stoker-agent run</c> does at start (except whether the ports are free); all problems at once.
    /// </summary>
    public static AgentOptions Parse(Func<string, string?> variable, out IReadOnlyList<string> errors)
    {
        var options = new AgentOptions();
        AgentOptionsSetup.Bind(options, variable);
        errors = new AgentOptionsValidator().Validate(null, options) is { Failed: true } result ? [.. result.Failures] : [];
        return options;
    }

    /// <summary><c>SYNC_PERIOD (--sync-period)</c>: errors name the variable and the command-line option alike.</summary>
    internal static string Named(string variable) => $"{variable} (--{ToOption(variable)})";

    /// <summary>The command-line option of a variable: <c>SYNC_PERIOD</c> → <c>sync-period</c>.</summary>
    internal static string ToOption(string variable) => variable.ToLowerInvariant().Replace('_', '-');

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
        ("SILO_CA_FILE", "PEM file of the CA that issued the silo's certificate (the silo's state folder tls/ca.crt)"),
        ("SILO_CA", "the same CA as PEM text (what the sidecar injector sets); give SILO_CA_FILE or SILO_CA"),
        ("SILO_TLS_SERVER_NAME", "name the silo's certificate must carry (default stoker-silo)"),
        ("SILO_ALLOW_INSECURE", "true: plain TCP to a silo with Stoker:Silo:AllowInsecureAgents (default false: TLS, a CA is required)"),
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
