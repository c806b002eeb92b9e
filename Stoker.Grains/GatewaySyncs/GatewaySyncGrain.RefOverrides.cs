using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// Per-gateway ref overrides (a pod's <c>stoker.io/ref-override</c>, docs/kubernetes.md "Gateway discovery"): every
/// distinct override is looked up in the same ls-remote as <c>spec.git.ref</c>, and a gateway with one is sent that
/// commit (the release carries each override's resolution; the Gateway grain picks its own). An override that is not a
/// valid ref name, or that the remote does not have, gives that gateway an error (its desired state carries the
/// message, so its agent reports Error); the resource and its other gateways go on.
/// </summary>
public sealed partial class GatewaySyncGrain
{
    /// <summary>The distinct, well-formed overrides in the roster, for the next ls-remote.</summary>
    private List<string> OverrideRefsToResolve() =>
        [.. S.Roster.Values.Select(e => e.RefOverride).OfType<string>().Where(r => GitRefFormat.IsValid(r, out _))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>A gateway came with a well-formed override that was never looked up: resolve it soon, in its own turn.</summary>
    private void ResolveOverrideSoon(RosterEntry entry)
    {
        if (entry.RefOverride is { Length: > 0 } name && GitRefFormat.IsValid(name, out _) && !S.RefOverrides.ContainsKey(name) && S.Resource is not null)
        {
            Schedule.ReconcileSoon($"{Annotations.RefOverride} {name} on gateway {entry.Name}");
        }
    }
}
