using System.Globalization;
using System.Text.Json.Nodes;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Hosting;

/// <summary>
/// A silo process as it runs in its pod in Kubernetes mode: the downward-API variables (<c>POD_NAME</c>,
/// <c>POD_NAMESPACE</c>, <c>POD_IP</c>), <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c> (so Orleans' Kubernetes hosting is
/// used), the cluster ids, and its Pod object in the fake API server. The pod's service account is stood in for by
/// the bed's kubeconfig: the client's in-cluster configuration insists on HTTPS and on files under
/// <c>/var/run/secrets</c>, which a test must not write.
/// </summary>
internal static class SiloPod
{
    public const string Namespace = "stoker-system";

    /// <summary>Seeds the pod <paramref name="podName"/> in the fake and returns the settings to start its silo with.</summary>
    public static SiloProcessSettings Settings(KubernetesModeBed bed, string podName, string clusterId, IReadOnlyDictionary<string, string>? extra = null)
    {
        bed.Api.Seed(Pod(podName));
        var environment = new Dictionary<string, string>
        {
            ["Stoker__Silo__Mode"] = "Kubernetes",
            ["Stoker__Kubernetes__KubeconfigPath"] = bed.Kubeconfig,
            ["Stoker__Kubernetes__LeaseDuration"] = "00:00:04",
            ["Stoker__Kubernetes__RenewDeadline"] = "00:00:03",
            ["Stoker__Kubernetes__RetryPeriod"] = "00:00:00.500",
            ["KUBERNETES_SERVICE_HOST"] = bed.Api.Url.Host,
            ["KUBERNETES_SERVICE_PORT"] = bed.Api.Url.Port.ToString(CultureInfo.InvariantCulture),
            ["POD_NAME"] = podName,
            ["POD_NAMESPACE"] = Namespace,
            ["POD_IP"] = "127.0.0.1",
            ["ORLEANS_CLUSTER_ID"] = clusterId,
            ["ORLEANS_SERVICE_ID"] = clusterId,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new SiloProcessSettings { Name = podName, ClusterId = clusterId, ServiceId = clusterId, Environment = environment };
    }

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "stoker-silo" },
        },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "silo", ["image"] = "stoker/silo:dev" }) },
        ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1" },
    };

    /// <summary>The pod as the fake API server has it now.</summary>
    public static JsonObject? Get(FakeKubeApiServer api, string podName) => api.Store.TryGet(ResourceCatalog.Pods, Namespace, podName);
}
