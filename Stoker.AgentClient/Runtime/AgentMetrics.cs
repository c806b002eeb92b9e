using Prometheus;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The original agent's <c>stoker_agent_*</c> series (docs/standalone-agent.md), on a registry of the agent's own.
/// Every series carries the agent's identity as labels (<see cref="IdentityLabels"/>): scraped statically, outside
/// Kubernetes service discovery, nothing else tells one gateway's agent from another's (docs/monitoring.md).
/// </summary>
public sealed class AgentMetrics
{
    /// <summary>The GatewaySync's namespace (<c>CR_NAMESPACE</c>): the same value Kubernetes service discovery gives a sidecar's pod.</summary>
    public const string NamespaceLabel = "namespace";

    /// <summary>The GatewaySync's name (<c>CR_NAME</c>); the controller's series call it <c>name</c>.</summary>
    public const string GatewaySyncLabel = "gatewaysync";

    /// <summary>The gateway's name (<c>GATEWAY_NAME</c>): the controller's per-gateway series carry the same value as <c>gateway</c>.</summary>
    public const string GatewayLabel = "gateway";

    /// <summary>Series without identity labels (tests and tools that only read the names).</summary>
    public AgentMetrics()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>Series labelled with the identity of the agent <paramref name="options"/> describe.</summary>
    public AgentMetrics(AgentOptions options)
        : this(IdentityLabels(options))
    {
    }

    private AgentMetrics(IDictionary<string, string> staticLabels)
    {
        Registry = Metrics.NewCustomRegistry();
        // Static labels must be set before the first collector exists on the registry.
        Registry.SetStaticLabels(staticLabels);
        var factory = Metrics.WithCustomRegistry(Registry);
        SyncDuration = factory.CreateHistogram("stoker_agent_sync_duration_seconds", "Duration of one sync.", new HistogramConfiguration { LabelNames = ["profile"], Buckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60] });
        SyncTotal = factory.CreateCounter("stoker_agent_sync_total", "Syncs by result.", "profile", "result");
        FilesChanged = factory.CreateGauge("stoker_agent_files_changed", "Files added, modified or deleted by the last sync.", "profile");
        FilesAdded = factory.CreateGauge("stoker_agent_files_added", "Files added by the last sync.", "profile");
        FilesModified = factory.CreateGauge("stoker_agent_files_modified", "Files modified by the last sync.", "profile");
        FilesDeleted = factory.CreateGauge("stoker_agent_files_deleted", "Files deleted by the last sync.", "profile");
        GitFetchDuration = factory.CreateHistogram("stoker_agent_git_fetch_duration_seconds", "Duration of git clone/fetch.", new HistogramConfiguration { LabelNames = ["operation"], Buckets = [0.5, 1, 2, 5, 10, 30, 60, 120] });
        GitFetchTotal = factory.CreateCounter("stoker_agent_git_fetch_total", "Git clone/fetch operations by result.", "operation", "result");
        ScanDuration = factory.CreateHistogram("stoker_agent_scan_duration_seconds", "Duration of the Ignition scan calls.", new HistogramConfiguration { Buckets = [0.1, 0.5, 1, 2, 5, 10, 30, 60] });
        ScanTotal = factory.CreateCounter("stoker_agent_scan_total", "Ignition scans by result.", "result");
        DesignerSessionsBlocked = factory.CreateGauge("stoker_agent_designer_sessions_blocked", "1 when open Designer sessions blocked the last sync.");
        DesignerSessionsActive = factory.CreateGauge("stoker_agent_designer_sessions_active", "Open Designer sessions seen at the last check.");
        LastSyncTimestamp = factory.CreateGauge("stoker_agent_last_sync_timestamp_seconds", "Unix time of the last successful sync.");
        LastSyncSuccess = factory.CreateGauge("stoker_agent_last_sync_success", "1 when the last sync succeeded.");
        SyncSkipped = factory.CreateCounter("stoker_agent_sync_skipped_total", "Syncs skipped by reason.", "reason");
        PushesRefused = factory.CreateCounter("stoker_agent_pushes_refused_total", "Desired-state pushes dropped because their seal did not verify with the agent's session.");
        GatewayStartupDuration = factory.CreateHistogram("stoker_agent_gateway_startup_duration_seconds", "Time until the gateway answered after the agent started waiting for it.", new HistogramConfiguration { Buckets = [5, 10, 30, 60, 120, 300, 600] });
        Connected = factory.CreateGauge("stoker_agent_control_plane_connected", "1 while the agent holds a live registration with the control plane.");
    }

    public CollectorRegistry Registry { get; }

    /// <summary>
    /// <c>namespace</c>, <c>gatewaysync</c> and <c>gateway</c> from the agent's settings (empty values left out: Prometheus
    /// treats an empty label as an absent one anyway).
    /// </summary>
    public static IDictionary<string, string> IdentityLabels(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in new[] { (NamespaceLabel, options.CrNamespace), (GatewaySyncLabel, options.CrName), (GatewayLabel, options.GatewayName) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                labels[name] = value;
            }
        }

        return labels;
    }

    public Histogram SyncDuration { get; }
    public Counter SyncTotal { get; }
    public Gauge FilesChanged { get; }
    public Gauge FilesAdded { get; }
    public Gauge FilesModified { get; }
    public Gauge FilesDeleted { get; }
    public Histogram GitFetchDuration { get; }
    public Counter GitFetchTotal { get; }
    public Histogram ScanDuration { get; }
    public Counter ScanTotal { get; }
    public Gauge DesignerSessionsBlocked { get; }
    public Gauge DesignerSessionsActive { get; }
    public Gauge LastSyncTimestamp { get; }
    public Gauge LastSyncSuccess { get; }
    public Counter SyncSkipped { get; }
    public Counter PushesRefused { get; }
    public Histogram GatewayStartupDuration { get; }
    public Gauge Connected { get; }
}
