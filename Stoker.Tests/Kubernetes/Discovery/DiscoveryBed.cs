using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Discovery;

/// <summary>
/// A silo in Kubernetes mode against the fake API server, with gateway pods put into the API server as a kubelet
/// would leave them (phase in <c>status</c>) and changed through the API as users and controllers do.
/// </summary>
public sealed class DiscoveryBed : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private DiscoveryBed(KubernetesModeBed bed, KubernetesSiloHost silo)
    {
        Bed = bed;
        Silo = silo;
    }

    public KubernetesModeBed Bed { get; }

    public KubernetesSiloHost Silo { get; }

    public IKubernetes Client => Bed.Client;

    public static async Task<DiscoveryBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var bed = await KubernetesModeBed.StartAsync();
        try
        {
            return new DiscoveryBed(bed, await bed.StartSiloAsync(settings: settings));
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>A GatewaySync with profiles <c>default</c> and <c>edge</c>, created through the API.</summary>
    public async Task<JsonObject> CreateResourceAsync(string ns, string name, string gitRef = "main")
    {
        Bed.SeedApiKeySecret(ns);
        var resource = KubernetesModeBed.Resource(ns, name, Bed.Repo.Path, gitRef: gitRef);
        resource["spec"]!["sync"]!["profiles"]!["edge"] = new JsonObject
        {
            ["mappings"] = new JsonArray(new JsonObject { ["source"] = "projects", ["destination"] = "edge-projects" }),
        };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, "stoker.io", "v1alpha1", ns, "gatewaysyncs");
        return JsonSerializer.SerializeToNode(created)!.AsObject();
    }

    /// <summary>A pod as the API server holds it once scheduled: <paramref name="phase"/> in its status.</summary>
    public static JsonObject Pod(string ns, string name, string? crName, IReadOnlyDictionary<string, string>? annotations = null,
        IReadOnlyDictionary<string, string>? labels = null, string phase = "Running", IReadOnlyList<string>? initContainers = null, string? serviceAccount = null)
    {
        var allAnnotations = new JsonObject();
        if (crName is not null)
        {
            allAnnotations["stoker.io/cr-name"] = crName;
        }

        foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
        {
            allAnnotations[key] = value;
        }

        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "ignition", ["image"] = "inductiveautomation/ignition:8.1" }),
        };
        if (initContainers is not null)
        {
            spec["initContainers"] = new JsonArray([.. initContainers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" })]);
        }

        if (serviceAccount is not null)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["annotations"] = allAnnotations,
                ["labels"] = labels is null ? null : new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = phase },
        };
    }

    public JsonObject AddPod(JsonObject pod) => Bed.Api.Seed(pod);

    public JsonObject AddPod(string ns, string name, string? crName, IReadOnlyDictionary<string, string>? annotations = null,
        IReadOnlyDictionary<string, string>? labels = null, string phase = "Running", IReadOnlyList<string>? initContainers = null, string? serviceAccount = null) =>
        AddPod(Pod(ns, name, crName, annotations, labels, phase, initContainers, serviceAccount));

    /// <summary>Sets (or with null removes) one annotation, as <c>kubectl annotate</c> does.</summary>
    public Task AnnotatePodAsync(string ns, string name, string key, string? value) =>
        Client.CoreV1.PatchNamespacedPodAsync(new V1Patch(
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value is null ? null : JsonValue.Create(value) } } }.ToJsonString(),
            V1Patch.PatchType.MergePatch), name, ns);

    /// <summary>Moves the pod to another phase through <c>/status</c>, as the kubelet does.</summary>
    public Task SetPhaseAsync(string ns, string name, string phase) =>
        Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(
            new JsonObject { ["status"] = new JsonObject { ["phase"] = phase } }.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns);

    public Task DeletePodAsync(string ns, string name) => Client.CoreV1.DeleteNamespacedPodAsync(name, ns);

    public Task<JsonObject?> GetResourceAsync(string ns, string name) => Bed.GetAsync(ns, name);

    /// <summary>Polls the custom resource until its status satisfies <paramref name="done"/>.</summary>
    public async Task<JsonObject> StatusUntilAsync(string ns, string name, Func<JsonObject, bool> done, string what) =>
        (await Eventually.Until(() => Bed.GetAsync(ns, name), r => r?["status"] is JsonObject && done(r), Timeout, what))!;

    public static IReadOnlyList<JsonObject> Gateways(JsonObject resource) =>
        (resource["status"]?["discoveredGateways"] as JsonArray ?? []).OfType<JsonObject>().ToList();

    public static IReadOnlyList<string> GatewayField(JsonObject resource, string field) =>
        Gateways(resource).Select(g => KubernetesModeBed.Text(g[field]) ?? "").ToList();

    public static string? ConditionField(JsonObject resource, string type, string field) => KubernetesModeBed.Text(KubernetesModeBed.Condition(resource, type)?[field]);

    /// <summary>What the Gateway grain holds for one gateway (its desired state, the agent's last report).</summary>
    public Task<GatewaySnapshot> SnapshotAsync(string ns, string crName, string gatewayName) =>
        Silo.Client.GetGrain<IGatewayGrain>(GrainKeys.Gateway(ns, crName, gatewayName)).GetSnapshot();

    public async ValueTask DisposeAsync() => await Bed.DisposeAsync();
}
