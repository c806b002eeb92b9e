using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// <see cref="IGatewaySyncGrain.Apply"/> answers before the reconcile runs (docs/architecture.md): tests that need the
/// reconciled status apply, then poll <see cref="IGatewaySyncGrain.Get"/> until the reconcile of that generation shows.
/// </summary>
public static class GatewaySyncApply
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Applies <paramref name="resource"/> and returns the resource once a reconcile of the generation Apply returned has
    /// finished (succeeded, or failed with a retry). A re-apply of an unchanged spec keeps its generation: then the
    /// previous reconcile's status is the answer, as in Kubernetes.
    /// </summary>
    public static async Task<GatewaySync> ApplyAndReconcile(this IGatewaySyncGrain grain, GatewaySync resource)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var applied = await grain.Apply(resource);
        return await grain.WaitReconciled(applied.Metadata.Generation);
    }

    /// <summary>Polls until the reconcile of <paramref name="generation"/> has finished (see <see cref="Reconciled"/>) and returns the resource.</summary>
    public static async Task<GatewaySync> WaitReconciled(this IGatewaySyncGrain grain, long? generation)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return (await Eventually.Until(grain.Get, r => r is not null && Reconciled(r, generation), Deadline, $"the reconcile of generation {generation}"))!;
    }

    /// <summary>
    /// Whether the status shows a finished reconcile of <paramref name="generation"/>: a success records it as
    /// <c>observedGeneration</c>; a failure records it on the condition that carries the retry (<c>RefResolved</c> for a
    /// ref failure, <c>Ready</c> otherwise), whose message names the retry delay.
    /// </summary>
    public static bool Reconciled(GatewaySync resource, long? generation)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Status is not { } status)
        {
            return false;
        }

        return status.ObservedGeneration == generation
            || (status.Conditions ?? []).Any(c => c.ObservedGeneration == generation && c.Status == ConditionStatus.False
                && c.Type is ConditionTypes.RefResolved or ConditionTypes.Ready && c.Message?.Contains("(retry in ", StringComparison.Ordinal) == true);
    }
}
