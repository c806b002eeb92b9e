using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Admission;

namespace Stoker.Silo.Kubernetes.Discovery;

/// <summary>
/// What a pod stands for in discovery (docs/kubernetes.md, "Gateway discovery"): a gateway of the GatewaySync its
/// <c>stoker.io/cr-name</c> annotation names, in the pod's namespace, while the pod is <c>Running</c> (terminating but
/// still Running counts; no readiness check). Named by <see cref="PodGateway"/>.
/// </summary>
public sealed record DiscoveredPod(string PodKey, string ResourceKey, string GatewayKey, ExpectedGateway Gateway)
{
    public const string RunningPhase = "Running";

    /// <summary>Everything the GatewaySync takes from the pod, in one string: equal means nothing relevant changed.</summary>
    public string Fingerprint { get; } = string.Join('\n',
        Gateway.Name, Gateway.Namespace, Gateway.PodName, Gateway.ServiceAccountName, Gateway.Profile, Gateway.RefOverride, Gateway.MissingSidecar,
        string.Join(',', Gateway.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)));

    /// <summary><c>{namespace}/{name}</c> of a pod object, or null when it has no name.</summary>
    public static string? KeyOf(JsonObject pod) =>
        pod["metadata"] is JsonObject metadata && metadata["name"] is JsonValue name && name.ToString() is { Length: > 0 } podName
            ? $"{(metadata["namespace"] as JsonValue)?.ToString() ?? ""}/{podName}"
            : null;

    /// <summary>The gateway the pod stands for now, or null (no <c>stoker.io/cr-name</c>, not Running, not a pod).</summary>
    public static DiscoveredPod? From(JsonObject item)
    {
        // Most pods in a cluster are not gateways: only those naming a GatewaySync are decoded.
        if (item["metadata"]?["annotations"]?[Annotations.CrName] is not JsonValue crName || crName.ToString().Length == 0)
        {
            return null;
        }

        V1Pod? pod;
        try
        {
            pod = KubernetesJson.Deserialize<V1Pod>(item.ToJsonString());
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return pod is null ? null : From(pod);
    }

    public static DiscoveredPod? From(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (PodGateway.ResourceName(pod) is not { } resource || pod.Status?.Phase != RunningPhase || pod.Metadata?.Name is not { Length: > 0 } podName)
        {
            return null;
        }

        var ns = pod.Metadata.NamespaceProperty ?? "";
        var annotations = new Dictionary<string, string>(pod.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var gateway = new ExpectedGateway
        {
            Name = PodGateway.GatewayName(pod),
            Namespace = ns,
            PodName = podName,
            ServiceAccountName = string.IsNullOrEmpty(pod.Spec?.ServiceAccountName) ? "default" : pod.Spec.ServiceAccountName,
            Profile = annotations.GetValueOrDefault(Annotations.Profile) ?? "",
            RefOverride = annotations.GetValueOrDefault(Annotations.RefOverride) is { Length: > 0 } refOverride ? refOverride : null,
            Labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),

            // A regular container of that name does not count: the agent runs as a native sidecar (an init container).
            MissingSidecar = annotations.GetValueOrDefault(Annotations.Inject) == "true"
                && pod.Spec?.InitContainers?.Any(c => c.Name == SidecarInjector.ContainerName) != true,
        };
        return new DiscoveredPod($"{ns}/{podName}", GrainKeys.GatewaySync(ns, resource), GrainKeys.Gateway(ns, resource, gateway.Name), gateway);
    }
}
