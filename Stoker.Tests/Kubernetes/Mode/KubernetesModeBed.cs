using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>
/// The fake API server, a kubeconfig for it, a git repository the GatewaySyncs point at, and a KubernetesClient as
/// <c>kubectl</c> would use it, for tests that drive silos in Kubernetes mode. Silos are started per test.
/// </summary>
public sealed class KubernetesModeBed : IAsyncDisposable
{
    private readonly List<KubernetesSiloHost> _silos = [];

    private KubernetesModeBed(FakeKubeApiServer api, TempDirectory temp, GitRepository repo, string kubeconfig)
    {
        Api = api;
        Temp = temp;
        Repo = repo;
        Kubeconfig = kubeconfig;
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public FakeKubeApiServer Api { get; }

    public TempDirectory Temp { get; }

    public GitRepository Repo { get; }

    public string Kubeconfig { get; }

    public IKubernetes Client { get; }

    public string Commit { get; private set; } = "";

    public static async Task<KubernetesModeBed> StartAsync()
    {
        var api = new FakeKubeApiServer();
        await api.StartAsync();
        var temp = new TempDirectory("k8s-mode");
        var repo = GitRepository.Create();
        repo.WriteFile("projects/site/resource.json", "{}");
        var bed = new KubernetesModeBed(api, temp, repo, api.WriteKubeconfig(temp.Combine("kubeconfig")));
        bed.Commit = repo.Commit("first");

        // The Secret every resource of Resource() names, in the namespaces the tests use: in Kubernetes mode the silo
        // reads it through the API (a missing one fails the reconcile, as it should).
        foreach (var ns in new[] { "plant", "lab" })
        {
            bed.SeedApiKeySecret(ns);
        }

        return bed;
    }

    /// <summary>Stores the API key Secret <see cref="Resource"/> names (<c>ignition-api-key</c>, key <c>apiKey</c>) in <paramref name="ns"/>.</summary>
    public void SeedApiKeySecret(string ns)
    {
        if (Api.Store.TryGet(ResourceCatalog.Secrets, ns, ApiKeySecretName) is null)
        {
            SeedSecret(ns, ApiKeySecretName, new Dictionary<string, string> { ["apiKey"] = "stoker:test-api-token" });
        }
    }

    public const string ApiKeySecretName = "ignition-api-key";

    /// <summary>Stores a Secret with <paramref name="values"/> as <c>stringData</c>, as <c>kubectl create secret generic</c> would.</summary>
    public JsonObject SeedSecret(string ns, string name, IReadOnlyDictionary<string, string> values) => Api.Seed(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["type"] = "Opaque",
        ["stringData"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
    });

    public async Task<KubernetesSiloHost> StartSiloAsync(string identity = "silo-a", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var silo = await KubernetesSiloHost.StartAsync(Kubeconfig, identity, settings);
        _silos.Add(silo);
        return silo;
    }

    public static JsonObject Resource(string ns, string name, string repo, IReadOnlyDictionary<string, string>? annotations = null, string gitRef = "main") => new()
    {
        ["apiVersion"] = "stoker.io/v1alpha1",
        ["kind"] = "GatewaySync",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["annotations"] = annotations is null ? null : new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        },
        ["spec"] = new JsonObject
        {
            ["git"] = new JsonObject { ["repo"] = repo, ["ref"] = gitRef },
            ["gateway"] = new JsonObject { ["api"] = new JsonObject { ["secretName"] = ApiKeySecretName } },
            ["sync"] = new JsonObject
            {
                ["profiles"] = new JsonObject
                {
                    ["default"] = new JsonObject { ["mappings"] = new JsonArray(new JsonObject { ["source"] = "projects", ["destination"] = "projects" }) },
                },
            },
        },
    };

    public async Task<JsonObject> CreateAsync(string ns, string name, IReadOnlyDictionary<string, string>? annotations = null)
    {
        SeedApiKeySecret(ns);
        return Node(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Resource(ns, name, Repo.Path, annotations), "stoker.io", "v1alpha1", ns, "gatewaysyncs"));
    }

    /// <summary>The custom resource as the API server has it; null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string ns, string name)
    {
        try
        {
            return Node(await Client.CustomObjects.GetNamespacedCustomObjectAsync("stoker.io", "v1alpha1", ns, "gatewaysyncs", name));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<JsonObject> PatchAsync(string ns, string name, string mergePatch) =>
        Node(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), "stoker.io", "v1alpha1", ns, "gatewaysyncs", name));

    public async Task<JsonObject> PatchStatusAsync(string ns, string name, string mergePatch) =>
        Node(await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), "stoker.io", "v1alpha1", ns, "gatewaysyncs", name));

    public Task SetAnnotationAsync(string ns, string name, string key, string value) =>
        PatchAsync(ns, name, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } }.ToJsonString());

    public async Task DeleteAsync(string ns, string name) =>
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync("stoker.io", "v1alpha1", ns, "gatewaysyncs", name);

    public static JsonObject? Condition(JsonObject? resource, string type) =>
        (resource?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;

    /// <summary>Status writes the API server received for one resource.</summary>
    public int StatusWrites(string ns, string name) =>
        Api.Requests.Count(r => r.Method == "PATCH" && r.Subresource == "status" && r.Namespace == ns && r.Name == name && r.StatusCode < 300);

    private static JsonObject Node(object answer) => JsonSerializer.SerializeToNode(answer) as JsonObject ?? throw new InvalidOperationException("not an object");

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        Client.Dispose();
        await Api.DisposeAsync();
        Repo.Dispose();
        Temp.Dispose();
    }
}
