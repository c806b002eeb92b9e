using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Stoker.IgnitionSimulator;
using Stoker.Silo.Admission;
using Stoker.Tests.Admission;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>
/// The issue's end to end, all real but the API server: the fake API server (with the silo's mutating webhook in its
/// admission chain), the <c>stoker-silo</c> process in Kubernetes mode serving that webhook over HTTPS, a real git
/// repository, the Ignition simulator, and <c>stoker-agent run</c> processes started with the environment the
/// injection patch gave their pods (<see cref="AgentEnvironmentOf"/>).
/// </summary>
public sealed class IdentityEndToEndBed : IAsyncDisposable
{
    public const string Namespace = "plant";
    public const string CrName = "site";
    public const string ApiKey = "stoker:ignition-api-key";

    /// <summary>What the webhook writes as <c>SILO_ENDPOINTS</c>: the in-cluster Service, which the test maps to the silo's port.</summary>
    public const string InClusterSiloEndpoints = "stoker-silo-gateway.stoker-system.svc:30000";

    private readonly List<AgentProcessHost> _agents = [];

    private IdentityEndToEndBed(FakeKubeApiServer api, TempDirectory temp, GitRepository repo, IKubernetes client, SiloProcess silo, GatewaySimulator gateway)
    {
        Api = api;
        Temp = temp;
        Repo = repo;
        Client = client;
        Silo = silo;
        Gateway = gateway;
    }

    public FakeKubeApiServer Api { get; }

    public TempDirectory Temp { get; }

    public GitRepository Repo { get; }

    /// <summary>A KubernetesClient as <c>kubectl</c> would use it.</summary>
    public IKubernetes Client { get; }

    public SiloProcess Silo { get; }

    public GatewaySimulator Gateway { get; }

    public static async Task<IdentityEndToEndBed> StartAsync(IReadOnlyDictionary<string, string>? siloSettings = null)
    {
        var api = new FakeKubeApiServer();
        var temp = new TempDirectory("identity-e2e");
        GitRepository? repo = null;
        SiloProcess? silo = null;
        GatewaySimulator? gateway = null;
        try
        {
            await api.StartAsync();

            // The API key Secret the GatewaySync names, read by the silo through the API.
            api.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = KubernetesModeBed.ApiKeySecretName, ["namespace"] = Namespace },
                ["stringData"] = new JsonObject { ["apiKey"] = "stoker:test-api-token" },
            });
            repo = GitRepository.Create();
            repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
            repo.Commit("initial");
            var kubeconfig = api.WriteKubeconfig(temp.Combine("kubeconfig"));
            Directory.CreateDirectory(temp.Combine("webhook-certs"));
            var thumbprint = TestCertificate.Write(temp.Combine("webhook-certs"));
            var webhookPort = FreePort.Next();
            var environment = new Dictionary<string, string>
            {
                ["Stoker__Silo__Mode"] = "Kubernetes",
                ["Stoker__Kubernetes__KubeconfigPath"] = kubeconfig,
                ["Stoker__Kubernetes__LeaderElection"] = "false",
                ["Stoker__Admission__Enabled"] = "true",
                ["Stoker__Admission__Port"] = webhookPort.ToString(CultureInfo.InvariantCulture),
                ["Stoker__Admission__BindAddress"] = "127.0.0.1",
                ["Stoker__Admission__CertificatePath"] = temp.Combine("webhook-certs", "tls.crt"),
                ["Stoker__Admission__KeyPath"] = temp.Combine("webhook-certs", "tls.key"),
                ["Stoker__Admission__SiloEndpoints"] = InClusterSiloEndpoints,
                ["DEFAULT_AGENT_IMAGE"] = "stoker/agent:e2e",
            };
            foreach (var (key, value) in siloSettings ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "k8s-identity", Environment = environment });

            // The MutatingWebhookConfiguration: pods created in the fake go through the silo's /mutate-v1-pod over HTTPS.
            api.RegisterWebhook(new AdmissionWebhook("pods.stoker.io", Mutating: true, ResourceCatalog.Pods,
                new Uri($"https://127.0.0.1:{webhookPort}{AdmissionEndpoint.MutatePodPath}"), ["CREATE"],
                Handler: new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                        certificate?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
                }));
            gateway = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = ApiKey, Urls = [new Uri("http://127.0.0.1:0")] });
            var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            return new IdentityEndToEndBed(api, temp, repo, client, silo, gateway);
        }
        catch
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            repo?.Dispose();
            await api.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    /// <summary><c>kubectl apply</c> of the GatewaySync, then waits until the silo has taken it (its ref resolved on the resource's status).</summary>
    public async Task CreateGatewaySyncAsync()
    {
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(KubernetesModeBed.Resource(Namespace, CrName, Repo.Path), "stoker.io", "v1alpha1", Namespace, "gatewaysyncs");
        await Eventually.Until(GetGatewaySyncAsync, r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True",
            TimeSpan.FromSeconds(60), $"the silo resolving {Namespace}/{CrName}'s ref\n--- silo ---\n{Silo.Output}");
    }

    public async Task<JsonObject?> GetGatewaySyncAsync() =>
        JsonSerializer.SerializeToNode(await Client.CustomObjects.GetNamespacedCustomObjectAsync("stoker.io", "v1alpha1", Namespace, "gatewaysyncs", CrName)) as JsonObject;

    /// <summary>
    /// <c>kubectl apply</c> of a gateway pod that asks for injection, as a StatefulSet would create it: the API server
    /// calls the silo's webhook, and the pod is stored as patched.
    /// </summary>
    public async Task<V1Pod> CreateGatewayPodAsync(string name, IDictionary<string, string>? labels = null) =>
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = Namespace,
                Annotations = new Dictionary<string, string> { ["stoker.io/inject"] = "true", ["stoker.io/cr-name"] = CrName },
                Labels = labels,
            },
            Spec = new V1PodSpec
            {
                ServiceAccountName = "ignition",
                Containers =
                [
                    new V1Container
                    {
                        Name = "ignition",
                        Image = "inductiveautomation/ignition:8.3.0",
                        VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/usr/local/bin/ignition/data" }],
                    },
                ],
                Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }],
            },
        }, Namespace);

    /// <summary>
    /// The kubelet's part: issues the pod's projected token (audience and lifetime from the pod's
    /// <c>stoker-agent-token</c> volume), bound to the pod's name and uid as the API server would.
    /// </summary>
    public string IssueToken(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var projection = pod.Spec.Volumes.Single(v => v.Name == "stoker-agent-token").Projected.Sources.Single().ServiceAccountToken;
        Assert.Equal(IdentityTokens.Audience, projection.Audience);
        var stored = Api.Store.Get(ResourceCatalog.Pods, Namespace, pod.Metadata.Name);
        return IdentityTokens.IssueFor(Api, stored, TimeProvider.System.GetUtcNow().AddSeconds(projection.ExpirationSeconds ?? 3600));
    }

    /// <summary>
    /// The injected agent container's environment as the kubelet resolves it (downward API fields from the stored pod),
    /// with only the in-pod paths and addresses replaced by their stand-ins here: the token file and the data and work
    /// volumes by temp paths, <c>SILO_ENDPOINTS</c> by this silo's gateway port, <c>GATEWAY_PORT</c> by the simulator's.
    /// Every other variable is passed as the webhook wrote it.
    /// </summary>
    public (Dictionary<string, string> Environment, string DataPath) AgentEnvironmentOf(V1Pod pod, string tokenFile)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var agent = pod.Spec.InitContainers.First();
        Assert.Equal(SidecarInjector.ContainerName, agent.Name);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in agent.Env)
        {
            environment[variable.Name] = variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                null => variable.Value,
                "metadata.name" => pod.Metadata.Name,
                "metadata.namespace" => pod.Metadata.NamespaceProperty,
                var path when path.StartsWith("metadata.labels['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal)
                    => pod.Metadata.Labels?.TryGetValue(path["metadata.labels['".Length..^2], out var label) == true ? label : "",
                var other => throw new InvalidOperationException($"the agent's {variable.Name} comes from {other}, which this test does not resolve"),
            };
        }

        var mounts = agent.VolumeMounts.ToDictionary(m => m.MountPath, m => m.Name, StringComparer.Ordinal);
        var pathsInPod = (Token: environment["AGENT_TOKEN_FILE"], Data: environment["DATA_PATH"], Repo: environment["REPO_PATH"]);
        Assert.Equal("stoker-agent-token", mounts[Path.GetDirectoryName(pathsInPod.Token)!]);
        Assert.Equal("data", mounts[pathsInPod.Data]);
        Assert.Equal("sync-repo", mounts[pathsInPod.Repo]);
        Assert.Equal(InClusterSiloEndpoints, environment["SILO_ENDPOINTS"]);

        var root = Temp.Combine("pods", pod.Metadata.Name);
        var dataPath = Path.Combine(root, "data");
        Directory.CreateDirectory(dataPath);
        environment["AGENT_TOKEN_FILE"] = tokenFile;
        environment["DATA_PATH"] = dataPath;
        environment["REPO_PATH"] = Path.Combine(root, "repo");
        environment["SILO_ENDPOINTS"] = $"127.0.0.1:{Silo.GatewayPort}";
        environment["GATEWAY_PORT"] = Gateway.BaseUrl.Port.ToString(CultureInfo.InvariantCulture);

        // The one variable the pod does not have: the webhook gives the agent no Secret, so no Ignition API key, and the
        // simulator (like a real 8.3 gateway) refuses a scan without one. docs/kubernetes.md names this gap.
        var keyFile = Path.Combine(root, "api-key");
        File.WriteAllText(keyFile, ApiKey);
        environment["API_KEY_FILE"] = keyFile;
        return (environment, dataPath);
    }

    public AgentProcessHost StartAgent(Dictionary<string, string> environment, string dataPath)
    {
        var agent = AgentProcessHost.Start(environment, dataPath);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>The gateway's entry in the resource's <c>status.discoveredGateways</c>, once <paramref name="done"/> holds.</summary>
    public Task<JsonObject?> WaitForGatewayStatusAsync(string gateway, Func<JsonObject?, bool> done, string what, AgentProcessHost agent) =>
        Eventually.Until(async () => ((await GetGatewaySyncAsync())?["status"]?["discoveredGateways"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(g => KubernetesModeBed.Text(g["name"]) == gateway),
            done, TimeSpan.FromSeconds(90), $"{what}\n--- agent ---\n{agent.Output}\n--- silo ---\n{Silo.Output}");

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Gateway.DisposeAsync();
        await Silo.DisposeAsync();
        Client.Dispose();
        await Api.DisposeAsync();
        Repo.Dispose();
        Temp.Dispose();
    }
}
