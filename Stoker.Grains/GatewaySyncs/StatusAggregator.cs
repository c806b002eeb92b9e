using Stoker.Grains.Conditions;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>Derives the gateway-facing part of the status from the roster (docs/resource-reference.md).</summary>
public static class StatusAggregator
{
    /// <param name="readyHeldByFailure">
    /// A failure other than the ref's is pending (a missing Secret): <c>Ready</c> carries it with its retry, and a
    /// roster change must not turn it back to True before the retry succeeds.
    /// </param>
    public static GatewaySyncStatus Aggregate(
        GatewaySyncStatus status, IReadOnlyCollection<RosterEntry> roster, bool paused, long? generation, DateTimeOffset now, string resourceNamespace = "", bool readyHeldByFailure = false)
    {
        var gateways = roster.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => ToDiscovered(g, resourceNamespace)).ToList();
        var conditions = status.Conditions;
        var total = gateways.Count;
        var synced = gateways.Count(g => g.SyncStatus == GatewaySyncStatusValue.Synced);
        var missing = gateways.Count(g => g.SyncStatus == GatewaySyncStatusValue.MissingSidecar);

        conditions = total == 0
            ? ConditionSet.Set(conditions, ConditionTypes.AllGatewaysSynced, ConditionStatus.False, ConditionReasons.NoGatewaysDiscovered, "0/0 synced", generation, now)
            : synced == total
                ? ConditionSet.Set(conditions, ConditionTypes.AllGatewaysSynced, ConditionStatus.True, ConditionReasons.SyncSucceeded, $"{synced}/{total} synced", generation, now)
                : ConditionSet.Set(conditions, ConditionTypes.AllGatewaysSynced, ConditionStatus.False, ConditionReasons.SyncInProgress,
                    missing > 0 ? $"{synced}/{total} synced ({missing} missing sidecar)" : $"{synced}/{total} synced", generation, now);

        if (total > 0)
        {
            conditions = missing > 0
                ? ConditionSet.Set(conditions, ConditionTypes.SidecarInjected, ConditionStatus.False, ConditionReasons.SidecarMissing, $"{missing} gateway(s) missing stoker-agent sidecar", generation, now)
                : ConditionSet.Set(conditions, ConditionTypes.SidecarInjected, ConditionStatus.True, ConditionReasons.SidecarPresent, "All gateways have stoker-agent sidecar", generation, now);
        }

        conditions = SetAgentReady(conditions, roster, generation, now);
        // Ready follows every condition it depends on (docs/resource-reference.md, "Ready"): recomputed on every change
        // of the roster too, so a failing ref shows as "Ref not resolved" whatever else happens meanwhile.
        if (paused || !readyHeldByFailure)
        {
            conditions = SetReady(conditions, paused, generation, now);
        }

        return status with { DiscoveredGateways = gateways, Conditions = conditions };
    }

    /// <summary>
    /// The original's rule (its docs): True when ProfilesValid, RefResolved and AllGatewaysSynced all are; otherwise
    /// False/Reconciling naming the first that is not, in that order; paused wins over everything.
    /// </summary>
    public static IReadOnlyList<Condition> SetReady(IReadOnlyList<Condition>? conditions, bool paused, long? generation, DateTimeOffset now)
    {
        if (paused)
        {
            return ConditionSet.Set(conditions, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Paused, "Reconciliation paused", generation, now);
        }

        var waitingFor = !ConditionSet.IsTrue(conditions, ConditionTypes.ProfilesValid) ? "Profiles invalid"
            : !ConditionSet.IsTrue(conditions, ConditionTypes.RefResolved) ? "Ref not resolved"
            : !ConditionSet.IsTrue(conditions, ConditionTypes.AllGatewaysSynced) ? "Waiting for gateways to sync"
            : null;
        return waitingFor is null
            ? ConditionSet.Set(conditions, ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.SyncSucceeded, "All gateways synced", generation, now)
            : ConditionSet.Set(conditions, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Reconciling, waitingFor, generation, now);
    }

    private static IReadOnlyList<Condition> SetAgentReady(IReadOnlyList<Condition>? conditions, IReadOnlyCollection<RosterEntry> roster, long? generation, DateTimeOffset now)
    {
        var expected = roster.Where(g => !g.MissingSidecar).ToList();
        var connected = expected.Count(g => g.Summary?.AgentConnected == true);
        if (expected.Count == 0)
        {
            return ConditionSet.Set(conditions, ConditionTypes.AgentReady, ConditionStatus.False, ConditionReasons.NoAgents, "0/0 agents connected", generation, now);
        }

        if (connected == expected.Count)
        {
            return ConditionSet.Set(conditions, ConditionTypes.AgentReady, ConditionStatus.True, ConditionReasons.AgentsConnected, $"{connected}/{expected.Count} agents connected", generation, now);
        }

        var offline = expected.Where(g => g.Summary?.AgentConnected != true).Select(g => g.Name).Order(StringComparer.Ordinal).Take(5);
        return ConditionSet.Set(conditions, ConditionTypes.AgentReady, ConditionStatus.False, ConditionReasons.AgentsDisconnected,
            $"{connected}/{expected.Count} agents connected; not connected: {string.Join(", ", offline)}{(expected.Count - connected > 5 ? ", ..." : "")}", generation, now);
    }

    /// <summary>
    /// One line of <c>status.discoveredGateways</c>: the pod as discovery sees it (else as its agent registered it),
    /// and the fields of the last report its Gateway grain summarised.
    /// </summary>
    private static DiscoveredGateway ToDiscovered(RosterEntry entry, string resourceNamespace)
    {
        var (pod, summary) = (entry.Pod, entry.Summary);
        var reported = summary is { Reported: true };
        return new DiscoveredGateway
        {
            Name = entry.Name,
            Namespace = pod?.Namespace ?? (summary?.Namespace is { Length: > 0 } ns ? ns : resourceNamespace),
            PodName = pod?.PodName ?? summary?.PodName ?? "",
            ServiceAccountName = string.IsNullOrEmpty(pod?.ServiceAccountName) ? "default" : pod.ServiceAccountName,
            Profile = (pod is not null ? pod.Profile : summary?.Profile) ?? "",
            SyncStatus = summary?.RefOverrideError is not null ? GatewaySyncStatusValue.Error
                : entry.MissingSidecar && !reported ? GatewaySyncStatusValue.MissingSidecar : reported ? summary!.SyncStatus : GatewaySyncStatusValue.Pending,
            LastSyncTime = reported ? KubeTimeJsonConverter.Truncate(summary!.LastSyncTime) : null,
            LastSyncDuration = reported ? GoDuration.Format(TimeSpan.FromMilliseconds(Math.Round(summary!.LastSyncDuration.TotalMilliseconds))) : null,
            SyncedCommit = reported ? summary!.SyncedCommit : null,
            SyncedRef = reported ? summary!.SyncedRef : null,
            AgentVersion = reported ? summary!.ReportedAgentVersion : summary?.AgentVersion,
            LastScanResult = reported ? summary!.LastScanResult : null,
            FilesChanged = reported ? summary!.FilesChanged : null,
            ProjectsSynced = reported ? summary!.ProjectsSynced : null,
        };
    }
}
