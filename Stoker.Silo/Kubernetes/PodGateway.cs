using k8s.Models;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// The gateway a pod stands for, by the naming rule of docs/kubernetes.md: annotation <c>stoker.io/gateway-name</c>,
/// else label <c>app.kubernetes.io/name</c>, else the pod name (first non-empty). Pod discovery, the injected agent's
/// <c>GATEWAY_NAME</c> and the check of an agent's identity all use this one rule, so they always agree.
/// </summary>
public static class PodGateway
{
    public const string NameLabel = "app.kubernetes.io/name";

    /// <summary>The GatewaySync the pod belongs to (annotation <c>stoker.io/cr-name</c>), or null.</summary>
    public static string? ResourceName(V1Pod pod) =>
        pod.Metadata?.Annotations?.TryGetValue(Annotations.CrName, out var name) == true && !string.IsNullOrEmpty(name) ? name : null;

    /// <summary>The gateway's name: annotation, label, pod name.</summary>
    public static string GatewayName(V1Pod pod)
    {
        var metadata = pod.Metadata ?? new V1ObjectMeta();
        if (metadata.Annotations?.TryGetValue(Annotations.GatewayName, out var annotated) == true && !string.IsNullOrEmpty(annotated))
        {
            return annotated;
        }

        if (metadata.Labels?.TryGetValue(NameLabel, out var labelled) == true && !string.IsNullOrEmpty(labelled))
        {
            return labelled;
        }

        return metadata.Name ?? "";
    }

    /// <summary>The Gateway grain key <c>{namespace}/{resource}/{gateway}</c>, or null when the pod names no GatewaySync.</summary>
    public static string? GatewayKey(V1Pod pod) =>
        ResourceName(pod) is { } resource ? GrainKeys.Gateway(pod.Metadata?.NamespaceProperty ?? "", resource, GatewayName(pod)) : null;
}
