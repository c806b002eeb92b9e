using Prometheus;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Metrics;

/// <summary>
/// The original controller's <c>stoker_controller_*</c> series (docs/troubleshooting.md), same names and labels so
/// its Grafana dashboards keep working. Registered in prometheus-net's default registry, which the silo serves.
/// </summary>
public static class ControllerMetrics
{
    private static readonly string[] CrLabels = ["name", "namespace"];

    public static readonly Histogram ReconcileDuration = Prometheus.Metrics.CreateHistogram(
        "stoker_controller_reconcile_duration_seconds", "Duration of one reconcile pass.",
        new HistogramConfiguration { LabelNames = CrLabels, Buckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10] });

    public static readonly Counter ReconcileTotal = Prometheus.Metrics.CreateCounter(
        "stoker_controller_reconcile_total", "Reconcile passes by result.", "name", "namespace", "result");

    public static readonly Histogram RefResolveDuration = Prometheus.Metrics.CreateHistogram(
        "stoker_controller_ref_resolve_duration_seconds", "Duration of ref resolution (ls-remote).",
        new HistogramConfiguration { LabelNames = CrLabels, Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>
    /// Orleans-era: from the moment a gateway's grain holds a new desired state (a release: new commit, spec change,
    /// ref override) until its agent reports that state Synced, on the silo's clock at both ends. Per GatewaySync, not
    /// per gateway, to keep a fleet's histogram small (docs/monitoring.md).
    /// </summary>
    public static readonly Histogram PropagationDuration = Prometheus.Metrics.CreateHistogram(
        "stoker_controller_propagation_duration_seconds", "Time from a gateway's new desired state to its agent's Synced report of it.",
        new HistogramConfiguration { LabelNames = CrLabels, Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    public static readonly Gauge GatewaysDiscovered = Prometheus.Metrics.CreateGauge("stoker_controller_gateways_discovered", "Gateways known for the GatewaySync.", CrLabels);
    public static readonly Gauge GatewaysSynced = Prometheus.Metrics.CreateGauge("stoker_controller_gateways_synced", "Gateways reporting Synced.", CrLabels);
    public static readonly Gauge GatewaysMissingSidecar = Prometheus.Metrics.CreateGauge("stoker_controller_gateways_missing_sidecar", "Gateways without an agent sidecar.", CrLabels);
    /// <summary>Orleans-era: agents holding a live session with their gateway's grain, as the GatewaySync last folded them in.</summary>
    public static readonly Gauge AgentsConnected = Prometheus.Metrics.CreateGauge("stoker_controller_agents_connected", "Agents of the GatewaySync holding a live session with the control plane.", CrLabels);
    public static readonly Gauge CrReady = Prometheus.Metrics.CreateGauge("stoker_controller_cr_ready", "1 when the GatewaySync is Ready.", CrLabels);
    public static readonly Gauge CrPaused = Prometheus.Metrics.CreateGauge("stoker_controller_cr_paused", "1 when the GatewaySync is paused.", CrLabels);
    public static readonly Gauge ConditionStatusGauge = Prometheus.Metrics.CreateGauge("stoker_controller_condition_status", "1 when the condition is True.", "name", "namespace", "type");
    public static readonly Gauge GatewaySyncStatus = Prometheus.Metrics.CreateGauge("stoker_controller_gateway_sync_status", "0=Pending, 1=Synced, 2=Error, 3=MissingSidecar.", "name", "namespace", "gateway");
    public static readonly Gauge GatewayLastSync = Prometheus.Metrics.CreateGauge("stoker_controller_gateway_last_sync_timestamp_seconds", "Unix time of the gateway's last sync.", "name", "namespace", "gateway");
    /// <summary>Set on every exchange (docs/monitoring.md): not per GatewaySync, so <see cref="Forget"/> leaves it.</summary>
    public static readonly Gauge GitHubAppTokenExpiry = Prometheus.Metrics.CreateGauge(
        "stoker_controller_github_app_token_expiry_timestamp_seconds", "Unix time at which the cached GitHub App installation token expires.", "app_id", "installation_id");
    public static readonly Gauge CrInfo = Prometheus.Metrics.CreateGauge("stoker_controller_cr_info", "Always 1; labels describe the GatewaySync.", "name", "namespace", "git_repo", "git_ref", "auth_type", "polling_interval");

    /// <summary>
    /// Publishes the gauges of one GatewaySync from its status (the original's step 6.5), and the number of its agents
    /// connected when the caller knows it (the gateways' summaries, not the status, say so).
    /// </summary>
    public static void Publish(GatewaySync resource, GatewaySyncStatus status, int? agentsConnected = null)
    {
        var (name, ns) = (resource.Metadata.Name ?? "", resource.Metadata.Namespace ?? "");
        if (agentsConnected is { } connected)
        {
            AgentsConnected.WithLabels(name, ns).Set(connected);
        }

        var gateways = status.DiscoveredGateways ?? [];
        GatewaysDiscovered.WithLabels(name, ns).Set(gateways.Count);
        GatewaysSynced.WithLabels(name, ns).Set(gateways.Count(g => g.SyncStatus == GatewaySyncStatusValue.Synced));
        GatewaysMissingSidecar.WithLabels(name, ns).Set(gateways.Count(g => g.SyncStatus == GatewaySyncStatusValue.MissingSidecar));
        CrPaused.WithLabels(name, ns).Set(resource.Spec.Paused == true ? 1 : 0);
        CrReady.WithLabels(name, ns).Set(status.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == ConditionStatus.True) == true ? 1 : 0);
        foreach (var condition in status.Conditions ?? [])
        {
            ConditionStatusGauge.WithLabels(name, ns, condition.Type).Set(condition.Status == ConditionStatus.True ? 1 : 0);
        }

        foreach (var gateway in gateways)
        {
            GatewaySyncStatus.WithLabels(name, ns, gateway.Name).Set(gateway.SyncStatus switch
            {
                GatewaySyncStatusValue.Synced => 1,
                GatewaySyncStatusValue.Error => 2,
                GatewaySyncStatusValue.MissingSidecar => 3,
                _ => 0,
            });
            if (gateway.LastSyncTime is { } last)
            {
                GatewayLastSync.WithLabels(name, ns, gateway.Name).Set(last.ToUnixTimeSeconds());
            }
        }

        RemoveFor(CrInfo, name, ns);
        CrInfo.WithLabels(name, ns, Git.UrlRedactor.Redact(resource.Spec.Git.Repo), resource.Spec.Git.Ref, AuthType(resource.Spec.Git.Auth), resource.Spec.Polling?.Interval ?? "60s").Set(1);
    }

    /// <summary>Removes every series of a deleted GatewaySync.</summary>
    public static void Forget(string name, string ns)
    {
        foreach (var collector in new Collector[] { ReconcileDuration, ReconcileTotal, RefResolveDuration, PropagationDuration, GatewaysDiscovered, GatewaysSynced, GatewaysMissingSidecar, AgentsConnected, CrReady, CrPaused, ConditionStatusGauge, GatewaySyncStatus, GatewayLastSync, CrInfo })
        {
            RemoveFor(collector, name, ns);
        }
    }

    /// <summary>The original's metadata <c>authType</c>: sshKey, then token, then githubApp, else none.</summary>
    public static string AuthType(GitAuthSpec? auth) =>
        auth?.SshKey is not null ? "ssh" : auth?.Token is not null ? "token" : auth?.GithubApp is not null ? "githubApp" : "none";

    private static void RemoveFor(Collector collector, string name, string ns)
    {
        switch (collector)
        {
            case Gauge gauge:
                foreach (var labels in gauge.GetAllLabelValues().Where(l => l.Length >= 2 && l[0] == name && l[1] == ns).ToList())
                {
                    gauge.RemoveLabelled(labels);
                }

                break;
            case Counter counter:
                foreach (var labels in counter.GetAllLabelValues().Where(l => l.Length >= 2 && l[0] == name && l[1] == ns).ToList())
                {
                    counter.RemoveLabelled(labels);
                }

                break;
            case Histogram histogram:
                foreach (var labels in histogram.GetAllLabelValues().Where(l => l.Length >= 2 && l[0] == name && l[1] == ns).ToList())
                {
                    histogram.RemoveLabelled(labels);
                }

                break;
        }
    }
}
