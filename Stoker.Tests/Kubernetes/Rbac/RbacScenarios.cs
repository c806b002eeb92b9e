using System.Text.Json.Nodes;
using k8s;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>
/// What silos in Kubernetes mode do against the API server, one scenario per feature, run in order on the same silos
/// by <see cref="SiloRbacTests"/>. A feature's scenario is one line in <see cref="All"/>.
/// </summary>
internal static class RbacScenarios
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static readonly IReadOnlyList<(string Name, Func<ManifestSiloBed, Task> Run)> All =
    [
        // Its watch on the silo pods stays open: the check counts it once the watches are ended.
        ("Orleans hosting: each silo reads and labels its pod, lists and watches the cluster's pods", OrleansHostingAsync),
        ("Secrets: each silo lists and watches Secrets (metadata only) and GETs the one a GatewaySync names", SecretsAsync),
        ("GatewaySync lifecycle: create, finalizer, status, update, delete; the leader's Lease renewed", GatewaySyncLifecycleAsync),
        ("Events: a refused GatewaySync gets a Warning Event; a repeat bumps its count", EventsAsync),
        ("Agent identity: an agent's token is verified with a TokenReview and its pod read", AgentIdentityAsync),
        ("API authentication: a caller's token is verified with a TokenReview and its access with a SubjectAccessReview", ApiAuthenticationAsync),
    ];

    /// <summary>
    /// The (resource, verb) grants of <c>k8s/base/silo-rbac.yaml</c> that features not merged into this branch use.
    /// Each goes when its feature's scenario joins <see cref="All"/>.
    /// </summary>
    public static readonly IReadOnlyList<RbacAllowance> Allowances = [];

    private static async Task OrleansHostingAsync(ManifestSiloBed bed)
    {
        await bed.StartSiloAsync(0);
        await bed.StartSiloAsync(1);
        foreach (var silo in bed.Silos)
        {
            await Eventually.Until(() => Task.FromResult(bed.Api.Store.TryGet(FakeKubeApi.ResourceCatalog.Pods, ManifestSet.SystemNamespace, silo.Name)),
                p => p?["metadata"]?["labels"]?["orleans/clusterId"] is not null, Timeout, $"{silo.Name}'s pod labelled\n{bed.Diagnostics()}");
        }

        await Eventually.Until(() => Task.FromResult(bed.SiloRequests), l => l.Count(r => r.Resource == "pods" && r.Verb == "list") >= 2, Timeout,
            $"each silo listing the cluster's pods\n{bed.Diagnostics()}");
    }

    private static async Task SecretsAsync(ManifestSiloBed bed)
    {
        await Eventually.Until(() => Task.FromResult(bed.SiloRequests), l => l.Count(r => r.Resource == "secrets" && r.Verb == "list") >= bed.Silos.Count, Timeout,
            $"each silo listing Secrets\n{bed.Diagnostics()}");

        // The example gateway's Secrets (its API key among them), as kubectl apply -f k8s/examples/ignition-gateway.yaml creates them.
        foreach (var secret in bed.Manifests.OfKind("Secret").Where(s => ManifestObject.Str(s.Node["metadata"]!["namespace"]) == "ignition"))
        {
            bed.Api.Seed((JsonObject)secret.Node.DeepClone());
        }

        var k8s = bed.Kubernetes;
        var resource = KubernetesModeBed.Resource("ignition", "rbac-secrets", k8s.Repo.Path);
        await k8s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, "stoker.io", "v1alpha1", "ignition", "gatewaysyncs");
        await Eventually.Until(() => Task.FromResult(bed.SiloRequests), l => l.Any(r => r.Resource == "secrets" && r.Verb == "get" && r.Name == "ignition-api-key"), Timeout,
            $"the API key Secret read\n{bed.Diagnostics()}");
        await k8s.DeleteAsync("ignition", "rbac-secrets");
        await Eventually.Until(() => k8s.GetAsync("ignition", "rbac-secrets"), r => r is null, Timeout, $"ignition/rbac-secrets gone\n{bed.Diagnostics()}");
    }

    private static async Task GatewaySyncLifecycleAsync(ManifestSiloBed bed)
    {
        var k8s = bed.Kubernetes;
        var example = (JsonObject)YamlJson.ReadAll(File.ReadAllText(Path.Join(ManifestSet.K8sRoot, ManifestSet.ExampleGatewaySyncFile))).Single();
        example["spec"]!["git"]!["repo"] = k8s.Repo.Path;
        var ns = ManifestObject.Str(example["metadata"]!["namespace"])!;
        var name = ManifestObject.Str(example["metadata"]!["name"])!;
        await k8s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(example, "stoker.io", "v1alpha1", ns, "gatewaysyncs");

        await Eventually.Until(() => k8s.GetAsync(ns, name),
            r => r?["metadata"]?["finalizers"] is JsonArray f && f.Any(x => ManifestObject.Str(x) == "stoker.io/finalizer") && KubernetesModeBed.Condition(r, "Ready") is not null,
            Timeout, $"finalizer and status on {ns}/{name}\n{bed.Diagnostics()}");

        await k8s.PatchAsync(ns, name, """{"spec":{"polling":{"interval":"90s"}}}""");
        await Eventually.Until(() => k8s.GetAsync(ns, name), r => r?["status"]?["observedGeneration"]?.GetValue<long>() == 2, Timeout,
            $"status of generation 2 on {ns}/{name}\n{bed.Diagnostics()}");

        await k8s.DeleteAsync(ns, name);
        await Eventually.Until(() => k8s.GetAsync(ns, name), r => r is null, Timeout, $"{ns}/{name} gone once its finalizer is removed\n{bed.Diagnostics()}");

        // The leader holds its Lease by renewing it.
        await Eventually.Until(() => Task.FromResult(bed.SiloRequests), l => l.Any(r => r.Resource == "leases" && r.Verb == "update"), Timeout,
            $"the Lease renewed\n{bed.Diagnostics()}");
    }

    private static async Task EventsAsync(ManifestSiloBed bed)
    {
        var k8s = bed.Kubernetes;
        var resource = KubernetesModeBed.Resource("plant", "rbac-events", k8s.Repo.Path);
        resource["spec"]!["sync"] = JsonNode.Parse("""{"profiles":{"standard":{"mappings":[]}}}""");
        await k8s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, "stoker.io", "v1alpha1", "plant", "gatewaysyncs");
        await Eventually.Until(() => Task.FromResult(bed.SiloRequests), l => l.Any(r => r.Resource == "events" && r.Verb == "create"), Timeout,
            $"the refusal recorded as an Event\n{bed.Diagnostics()}");

        // A change of the still-invalid resource records the same Event again: a count bump, written as a patch.
        await k8s.SetAnnotationAsync("plant", "rbac-events", "example.com/change", "1");
        await Eventually.Until(() => Task.FromResult(bed.SiloRequests), l => l.Any(r => r.Resource == "events" && r.Verb == "patch"), Timeout,
            $"the repeat written as a patch of the Event\n{bed.Diagnostics()}");

        await k8s.DeleteAsync("plant", "rbac-events");
        await Eventually.Until(() => k8s.GetAsync("plant", "rbac-events"), r => r is null, Timeout, $"plant/rbac-events gone\n{bed.Diagnostics()}");
    }

    private static async Task ApiAuthenticationAsync(ManifestSiloBed bed)
    {
        const string token = "rbac-api-user-token";
        bed.Api.RegisterToken(token, new FakeKubeApi.TokenIdentity("jane", [FakeKubeApi.TokenIdentity.ApiServerAudience], new Dictionary<string, IReadOnlyList<string>>()));
        bed.Api.Allow(new FakeKubeApi.AccessRule("jane", "list", "stoker.io", "gatewaysyncs", "plant"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/stoker.io/v1alpha1/namespaces/plant/gatewaysyncs");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await bed.Silos[0].Anonymous.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{bed.Diagnostics()}");
        Assert.Contains(bed.SiloRequests, r => r.Resource == "subjectaccessreviews" && r.Verb == "create");
    }

    private static async Task AgentIdentityAsync(ManifestSiloBed bed)
    {
        var pod = Identity.IdentityTokens.SeedPod(bed.Api, "plant", "ignition-rbac-0", new Dictionary<string, string> { ["stoker.io/cr-name"] = "site" });
        var token = Identity.IdentityTokens.IssueFor(bed.Api, pod, TimeProvider.System.GetUtcNow().AddMinutes(10));
        var silo = bed.Silos[0];
        await using var client = await ControlPlane.AgentClientHost.StartAsync(silo.GatewayPort, silo.ClusterId, silo.ServiceId, silo.CaFile, credential: _ => token);
        var observer = client.Client.CreateObjectReference<Stoker.Grains.Interfaces.Grains.IGatewayObserver>(new Stoker.AgentClient.Control.DesiredStateInbox(Stoker.Tests.Infrastructure.Serializers.DesiredState));
        var registration = new Stoker.Grains.Interfaces.Messages.AgentRegistration
        {
            AgentId = "rbac-agent", AgentVersion = "test", PodName = "ignition-rbac-0", PodNamespace = "plant",
            Identity = new Stoker.Grains.Interfaces.Messages.AgentIdentityToken(token),
        };
        var session = await client.Client.GetGrain<Stoker.Grains.Interfaces.Grains.IGatewayAgentGrain>("plant/site/ignition-rbac-0")
            .Register(registration, observer, null);
        Assert.NotEmpty(session.Token);
        Assert.Contains(bed.SiloRequests, r => r.Resource == "tokenreviews" && r.Verb == "create");
    }
}
