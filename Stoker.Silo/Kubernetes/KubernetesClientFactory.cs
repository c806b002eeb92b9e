using k8s;

namespace Stoker.Silo.Kubernetes;

/// <summary>The API client: from a kubeconfig file when one is configured (out of cluster, tests), else the pod's service account.</summary>
public static class KubernetesClientFactory
{
    public static IKubernetes Create(StokerKubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = options.KubeconfigPath is { Length: > 0 } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.InClusterConfig();
        return new k8s.Kubernetes(configuration);
    }
}
