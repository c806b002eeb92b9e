namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>Who a token stands for, as the API server confirmed it: a pod, and the gateway that pod stands for (<see cref="PodGateway"/>).</summary>
/// <param name="GatewayKey">The pod's Gateway grain key, or null when the pod names no GatewaySync.</param>
public sealed record VerifiedIdentity(string Namespace, string ServiceAccount, string PodName, string PodUid, string? GatewayKey)
{
    public string Pod => $"{Namespace}/{PodName}";
}
