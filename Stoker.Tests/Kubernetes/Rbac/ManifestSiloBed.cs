using System.Globalization;
using System.Text.Json.Nodes;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>
/// Silo processes started as the manifests' pods would be (the StatefulSet's environment, arguments and mounted
/// files, from <c>kubectl kustomize k8s/overlays/eval</c>), in Kubernetes mode against the fake API server, on
/// PostgreSQL. What a pod has and a test process cannot is stood in for: the pod IP (127.0.0.1), ports (free ones),
/// the database (a test database), and the service account (a kubeconfig whose token is <see cref="SiloToken"/>, so
/// the silos' requests can be told from the test's own). Each silo's Pod object is in the fake, labelled as the
/// StatefulSet labels it.
/// </summary>
internal sealed class ManifestSiloBed : IAsyncDisposable
{
    public const string SiloToken = "stoker-silo-service-account";
    private readonly List<SiloProcess> _silos = [];

    private ManifestSiloBed(KubernetesModeBed k8s, string siloKubeconfig, string connectionString)
    {
        Kubernetes = k8s;
        SiloKubeconfig = siloKubeconfig;
        ConnectionString = connectionString;
    }

    /// <summary>The fake API server, the test's own client to it, a git repository.</summary>
    public KubernetesModeBed Kubernetes { get; }

    public FakeKubeApiServer Api => Kubernetes.Api;

    public string SiloKubeconfig { get; }

    public string ConnectionString { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public ManifestSet Manifests { get; } = ManifestSet.Everything();

    /// <summary>The requests the silos sent, in order.</summary>
    public IReadOnlyList<RecordedRequest> SiloRequests => [.. Api.Requests.Where(r => r.BearerToken == SiloToken)];

    public string Diagnostics() => string.Join("\n", _silos.Select(s => $"--- {s.Name} ---\n{s.Output}"));

    public static async Task<ManifestSiloBed> StartAsync(PostgresServer postgres)
    {
        var k8s = await KubernetesModeBed.StartAsync();
        var kubeconfig = k8s.Api.WriteKubeconfig(k8s.Temp.Combine("silo-kubeconfig"), token: SiloToken);
        var connectionString = await postgres.CreateDatabaseAsync("k8s_silo_" + Guid.NewGuid().ToString("N")[..8]);
        return new ManifestSiloBed(k8s, kubeconfig, connectionString);
    }

    /// <summary>Starts the pod <c>stoker-silo-{ordinal}</c>'s silo and waits until its probes answer.</summary>
    public async Task<SiloProcess> StartSiloAsync(int ordinal)
    {
        var workload = Manifests.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo");
        var container = workload.Container("silo");
        var podName = $"stoker-silo-{ordinal}";
        Api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = podName,
                ["namespace"] = workload.Namespace,
                ["labels"] = new JsonObject(workload.PodLabels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "silo", ["image"] = ManifestObject.Str(container["image"]) }) },
            ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1" },
        });

        var files = PodFileSystem.Materialize(Manifests, workload, container, Kubernetes.Temp.Combine(podName));
        var environment = files.MapPaths(PodEnvironment.Resolve(Manifests, workload, container, PodEnvironment.Fields(workload, podName, "127.0.0.1")));
        environment["Stoker__Storage__ConnectionString"] = ConnectionString;
        environment["Stoker__Admission__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        environment["Stoker__Admission__BindAddress"] = "127.0.0.1";
        environment["Stoker__Kubernetes__KubeconfigPath"] = SiloKubeconfig;
        environment["KUBERNETES_SERVICE_HOST"] = Api.Url.Host;
        environment["KUBERNETES_SERVICE_PORT"] = Api.Url.Port.ToString(CultureInfo.InvariantCulture);
        var silo = SiloProcess.Start(new SiloProcessSettings { Name = podName, Environment = environment, Arguments = Workload.Args(container), HttpTimeout = TimeSpan.FromSeconds(10) });
        _silos.Add(silo);
        foreach (var (_, probe) in Workload.Probes(container))
        {
            var path = ManifestObject.Str(probe["httpGet"]!["path"])!;
            await Eventually.Until(() => silo.StatusAsync(path), s => s == 200 || silo.HasExited, TimeSpan.FromSeconds(120), $"{podName} {path}\n{Diagnostics()}");
            Assert.False(silo.HasExited, $"{podName} exited\n{Diagnostics()}");
        }

        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await Kubernetes.DisposeAsync();
    }
}
