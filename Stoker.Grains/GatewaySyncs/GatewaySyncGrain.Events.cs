using Stoker.Grains.Conditions;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// The controller's events (docs/kubernetes.md, "Events"): handed to the event sink, which only takes note. While the
/// resource is paused only <c>Paused</c> is recorded, as the original records nothing else for a paused resource.
/// </summary>
public sealed partial class GatewaySyncGrain
{
    private void Emit(GatewaySyncEvent @event)
    {
        if (S.Resource is { } resource && (resource.Spec.Paused != true || @event.Reason == EventReasons.Paused))
        {
            events.Record(resource, @event);
        }
    }

    /// <summary>What changed between two statuses and is an event: the transition into paused, a new gateway count.</summary>
    private void EmitTransitions(GatewaySyncStatus before)
    {
        if (ConditionSet.Find(S.Status.Conditions, ConditionTypes.Ready)?.Reason == ConditionReasons.Paused
            && ConditionSet.Find(before.Conditions, ConditionTypes.Ready)?.Reason != ConditionReasons.Paused)
        {
            Emit(GatewaySyncEvents.Paused());
        }

        var (count, previous) = (S.Status.DiscoveredGateways?.Count ?? 0, before.DiscoveredGateways?.Count ?? 0);
        if (count != previous)
        {
            Emit(GatewaySyncEvents.GatewaysDiscovered(count, previous));
        }
    }

    /// <summary>Every pass, one warning per pod that asked for the sidecar and has none (the original's §8 event).</summary>
    private void EmitMissingSidecars()
    {
        foreach (var entry in S.Roster.Values.Where(e => e.MissingSidecar).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            Emit(GatewaySyncEvents.MissingSidecar(string.IsNullOrEmpty(entry.Pod?.PodName) ? entry.Name : entry.Pod.PodName));
        }
    }

    /// <summary>A ref failure is recorded only when the ref was not failing already (RefResolved not yet False).</summary>
    private void EmitRefFailure(string conditionReason, string error)
    {
        if (ConditionSet.Find(S.Status.Conditions, ConditionTypes.RefResolved)?.Status != ConditionStatus.False)
        {
            Emit(GatewaySyncEvents.RefResolutionFailed(
                conditionReason == ConditionReasons.GitHubAppExchangeFailed ? EventReasons.GitHubAppExchangeFailed : EventReasons.RefResolutionFailed, error));
        }
    }
}
