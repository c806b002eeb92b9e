using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Gateways;

/// <summary>
/// What a gateway's desired state takes from the gateway itself rather than from the release: its pod as discovery
/// sees it, else what its agent said when it registered. Stored, and changed rarely (a profile annotation edited, an
/// agent injected with another profile), unlike releases, which are not stored per gateway.
/// </summary>
[GenerateSerializer]
public sealed record GatewayInputs
{
    /// <summary>The pod as pod discovery last saw it; null when discovery does not know the gateway (local mode).</summary>
    [Id(0)] public ExpectedGateway? Pod { get; init; }
    [Id(1)] public string? RegisteredProfile { get; init; }
    [Id(2)] public string RegisteredPodName { get; init; } = "";
    [Id(3)] public string? RegisteredNamespace { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string> RegisteredLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Counts the changes of these inputs; with the release's version it makes the desired state's version
    /// (<see cref="DesiredVersions"/>), so a change of either gives a higher one, across restarts too.
    /// </summary>
    [Id(5)] public long Revision { get; init; }

    /// <summary>
    /// The profile the gateway asks for. The discovered pod's annotation, as the pod is now, wins over the agent's
    /// <c>PROFILE</c>, fixed when the agent was injected (docs/kubernetes.md, "Gateway discovery").
    /// </summary>
    public string? Profile => Pod is { } pod ? pod.Profile : RegisteredProfile;

    public IReadOnlyDictionary<string, string> Labels => Pod?.Labels ?? RegisteredLabels;

    public string? RefOverride => Pod?.RefOverride is { Length: > 0 } name ? name : null;

    /// <summary>Whether two inputs make the same desired state and the same summary (labels compared by content).</summary>
    public bool SameAs(GatewayInputs other) =>
        SamePod(Pod, other.Pod) && RegisteredProfile == other.RegisteredProfile && RegisteredPodName == other.RegisteredPodName
        && RegisteredNamespace == other.RegisteredNamespace && SameLabels(RegisteredLabels, other.RegisteredLabels);

    public static bool SamePod(ExpectedGateway? a, ExpectedGateway? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Name == b.Name && a.Namespace == b.Namespace && a.PodName == b.PodName && a.ServiceAccountName == b.ServiceAccountName
              && a.Profile == b.Profile && a.MissingSidecar == b.MissingSidecar && a.RefOverride == b.RefOverride && SameLabels(a.Labels, b.Labels);

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
