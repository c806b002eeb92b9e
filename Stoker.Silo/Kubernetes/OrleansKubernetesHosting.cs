using k8s;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;
using Stoker.Silo.Hosting;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// Orleans' own Kubernetes integration (<c>UseKubernetesHosting</c>): the silo takes its name from <c>POD_NAME</c> and
/// its address from <c>POD_IP</c>, labels its pod with the cluster and service ids, and declares a silo dead when its
/// pod is deleted. It is not a membership provider: clustering, grain state and reminders stay on PostgreSQL.
/// Used only in Kubernetes mode inside a pod (<c>KUBERNETES_SERVICE_HOST</c> set): outside a cluster it would stop the
/// silo from starting, and local mode must stay exactly as it is. See docs/kubernetes.md.
/// </summary>
public static class OrleansKubernetesHosting
{
    /// <summary>Whether the silo uses Orleans' Kubernetes hosting: Kubernetes mode, inside a pod.</summary>
    public static bool Applies(IConfiguration configuration, Func<string, string?>? environment = null, Func<string, bool>? fileExists = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        environment ??= Environment.GetEnvironmentVariable;
        return SiloModeResolver.Resolve(configuration, environment, fileExists) == SiloMode.Kubernetes
            && environment(SiloModeResolver.ServiceHostVariable) is { Length: > 0 };
    }

    /// <summary>
    /// The hosting options Stoker gives Orleans: the same API client configuration as the rest of Kubernetes mode
    /// (<c>Stoker:Kubernetes:KubeconfigPath</c>, else the pod's service account), and no deletion of dead silos' pods
    /// (the StatefulSet replaces them, and the silo's RBAC grants no pod deletion).
    /// </summary>
    public static void Configure(KubernetesHostingOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var kubeconfig = configuration[StokerKubernetesOptions.SectionName + ":" + nameof(StokerKubernetesOptions.KubeconfigPath)];
        options.GetClientConfiguration = kubeconfig is { Length: > 0 } path
            ? () => KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
            : KubernetesClientConfiguration.InClusterConfig;
        options.DeleteDefunctSiloPods = false;
    }

    /// <summary>
    /// Orleans' hosting takes <c>ORLEANS_CLUSTER_ID</c>/<c>ORLEANS_SERVICE_ID</c> over the silo's settings, while the
    /// admission webhook hands the injected agents <c>Stoker:Silo:ClusterId</c>/<c>ServiceId</c>: when both are given
    /// they must agree, or agents would look for a cluster that does not exist.
    /// </summary>
    public static void CheckClusterIdentity(StokerSiloOptions silo, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        environment ??= Environment.GetEnvironmentVariable;
        var problems = new List<string>();
        Compare(problems, KubernetesHostingOptions.ClusterIdEnvironmentVariable, environment, nameof(StokerSiloOptions.ClusterId), silo.ClusterId);
        Compare(problems, KubernetesHostingOptions.ServiceIdEnvironmentVariable, environment, nameof(StokerSiloOptions.ServiceId), silo.ServiceId);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }
    }

    private static void Compare(List<string> problems, string variable, Func<string, string?> environment, string setting, string value)
    {
        if (environment(variable) is { Length: > 0 } given && !string.Equals(given, value, StringComparison.Ordinal))
        {
            problems.Add($"{variable}: \"{given}\": must equal {StokerSiloOptions.SectionName}:{setting} (\"{value}\")");
        }
    }
}
