using System.Text.Json.Nodes;
using Stoker.Grains.Secrets;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Hosting;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// The silo's StatefulSet gives the silo settings its own code accepts: every variable binds to a real option, the
/// values pass the silo's validators, and ports, Services and the manifests folder agree with those options.
/// </summary>
public sealed class SiloManifestTests : IDisposable
{
    private readonly TempDirectory _temp = new("k8s-silo");
    private readonly ManifestSet _all = ManifestSet.Everything();
    private readonly Workload _silo;
    private readonly JsonObject _container;
    private readonly PodFileSystem _files;
    private readonly Dictionary<string, string> _environment;

    public SiloManifestTests()
    {
        _silo = _all.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo");
        _container = _silo.Container("silo");
        _files = PodFileSystem.Materialize(_all, _silo, _container, _temp.Path);
        _environment = PodEnvironment.Resolve(_all, _silo, _container, PodEnvironment.Fields(_silo, "stoker-silo-0", "192.0.2.10"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Environment_BindsToTheSilosOptions_AndPassesItsValidators()
    {
        var settings = SiloSettings.Bind(_environment, _files.HostPath, out var problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.NotNull(settings);

        // Clustering on PostgreSQL, advertising the pod IP; the state is not in memory.
        Assert.True(settings.Storage.UsesPostgres);
        Assert.Equal("192.0.2.10", settings.Silo.AdvertisedAddress);
        Assert.Equal("status.podIP", Env("Stoker__Silo__AdvertisedAddress")["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(settings.Webhook.HmacSecret));
        Assert.True(settings.JsonLogs);

        // The secrets come from the Secret, not from the manifest's text.
        foreach (var name in new[] { "Stoker__Storage__ConnectionString", "Stoker__Webhook__HmacSecret" })
        {
            Assert.Equal("stoker-silo", Env(name)["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("Stoker__Silo__GatewayPrt", "30000", "Stoker:Silo")]
    [InlineData("Stoker__Silos__GatewayPort", "30000", "Stoker:Silos")]
    [InlineData("STOKER_SILO_GATEWAYPORT", "30000", "STOKER_SILO_GATEWAYPORT")]
    [InlineData("Stoker__Silo__GatewayPort", "thirty", "Stoker:Silo")]
    [InlineData("Stoker__Silo__SiloPort", "30000", "must differ from SiloPort")]
    [InlineData("Stoker__Silo__AdvertisedAddress", "stoker-silo-0", "must be an IP address")]
    [InlineData("Stoker__Storage__ConnectionString", "Hots=db;Database=stoker", "Stoker:Storage:ConnectionString")]
    [InlineData("Stoker__Webhook__RateLimit__PermitLimit", "0", "PermitLimit")]
    [InlineData("Stoker__Manifests__Path", "/etc/stoker/manifests/site", "must be an existing folder")]
    [InlineData("Stoker__Manifests__Path", "/var/lib/nowhere", "not on a volume")]
    [InlineData("Stoker__JsonLogs", "yes", "Stoker:JsonLogs")]
    public void Environment_ATypoOrABadValue_IsCaughtNamingIt(string name, string value, string expected)
    {
        // The check above is only worth something if it fails on what a hand-edited manifest gets wrong.
        var environment = new Dictionary<string, string>(_environment, StringComparer.Ordinal) { [name] = value };
        Assert.Null(SiloSettings.Bind(environment, _files.HostPath, out var problems));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Ports_AreTheOptionsPorts_AndTheServicesTargetThem()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        Assert.Equal(settings.Silo.SiloPort, Workload.ContainerPort(_container, JsonValue.Create("silo")));
        Assert.Equal(settings.Silo.GatewayPort, Workload.ContainerPort(_container, JsonValue.Create("gateway")));
        Assert.Equal(new StokerSiloOptions().GatewayPort, settings.Silo.GatewayPort);

        // The HTTP port is the one --urls gives Kestrel (the image's default command, written out).
        var args = Workload.Args(_container);
        Assert.Equal("--urls", args[0]);
        var url = new Uri(args[1]);
        Assert.Equal("0.0.0.0", url.Host);
        Assert.Equal(url.Port, Workload.ContainerPort(_container, JsonValue.Create("http")));

        int? ServiceTarget(string service, string port)
        {
            var ports = (JsonArray)_all.Get("Service", ManifestSet.SystemNamespace, service).Node["spec"]!["ports"]!;
            var entry = ports.Cast<JsonObject>().Single(p => ManifestObject.Str(p["name"]) == port);
            Assert.Equal(ManifestObject.Int(entry["port"]), Workload.ContainerPort(_container, entry["targetPort"]));
            return Workload.ContainerPort(_container, entry["targetPort"]);
        }

        Assert.Equal(settings.Silo.GatewayPort, ServiceTarget("stoker-silo-gateway", "gateway"));
        Assert.Equal(url.Port, ServiceTarget("stoker-silo", "http"));
        Assert.Equal(settings.Silo.SiloPort, ServiceTarget("stoker-silo-headless", "silo"));
        Assert.Equal("None", ManifestObject.Str(_all.Get("Service", ManifestSet.SystemNamespace, "stoker-silo-headless").Node["spec"]!["clusterIP"]));
        Assert.Equal(url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ManifestObject.Str(_silo.Template["metadata"]!["annotations"]!["prometheus.io/port"]));
    }

    [Fact]
    public void Probes_AreTheSilosHealthEndpointsOnItsHttpPort()
    {
        // Stoker.Silo/Program.cs maps /healthz and /readyz; ManifestsRunTests sees a silo started from this manifest answer them.
        var probes = Workload.Probes(_container).ToDictionary(p => p.Kind, p => p.Probe);
        Assert.Equal(["livenessProbe", "readinessProbe", "startupProbe"], probes.Keys.Order());
        Assert.Equal("/healthz", ManifestObject.Str(probes["startupProbe"]["httpGet"]!["path"]));
        Assert.Equal("/healthz", ManifestObject.Str(probes["livenessProbe"]["httpGet"]!["path"]));
        Assert.Equal("/readyz", ManifestObject.Str(probes["readinessProbe"]["httpGet"]!["path"]));
        Assert.All(probes.Values, p => Assert.Equal("http", ManifestObject.Str(p["httpGet"]!["port"])));
    }

    [Fact]
    public void ManifestsFolder_IsTheConfigMapMountedWhole_AndItsGatewaySyncsAreValid()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        var mount = _files.MountOf(settings.Manifests.Path!)!;
        Assert.Equal(settings.Manifests.Path, mount.MountPath);
        Assert.Equal("configMap", mount.VolumeKind);
        var configMap = _all.Get("ConfigMap", ManifestSet.SystemNamespace, "stoker-manifests");
        var data = _all.Data("ConfigMap", ManifestSet.SystemNamespace, "stoker-manifests")!;
        Assert.NotEmpty(data);
        foreach (var (file, text) in data)
        {
            Assert.Matches(@"\.(yaml|yml|json)$", file);
            Assert.Equal(text, File.ReadAllText(Path.Join(mount.HostPath, file)));
            var parsed = GatewaySyncSerializer.ParseAll(text);
            Assert.NotEmpty(parsed);
            foreach (var result in parsed)
            {
                Assert.True(result.IsValid, $"{configMap.Where}: {file}: {result.Describe()}");
                Assert.Empty(GatewaySyncValidator.Validate(result.Resource));
                Assert.NotNull(result.Resource.Metadata.Namespace);
            }
        }
    }

    [Fact]
    public async Task SecretsFolder_HoldsEverySecretTheGatewaySyncsName_ReadByTheSilosOwnSecretStore()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        var mount = _files.MountOf(settings.Silo.SecretsPath!)!;
        Assert.Equal(settings.Silo.SecretsPath, mount.MountPath);
        Assert.Equal("projected", mount.VolumeKind);
        var store = new FileSecretStore(mount.HostPath);
        foreach (var resource in GatewaySyncs())
        {
            var ns = resource.Metadata.Namespace!;
            Assert.True(await store.ExistsAsync(ns, resource.Spec.Gateway.Api.SecretName, CancellationToken.None), $"{resource.Metadata.Name}: the API key Secret {resource.Spec.Gateway.Api.SecretName} is not in the silo's Secrets folder");
            foreach (var reference in GitSecretKeys(resource.Spec.Git.Auth))
            {
                var value = await store.ReadAsync(ns, reference.Name, reference.Key, CancellationToken.None);
                Assert.False(string.IsNullOrWhiteSpace(value), $"{resource.Metadata.Name}: git Secret {reference.Name} key {reference.Key} is not in the silo's Secrets folder");

                // The silo's copy holds what the agent's Secret in the gateway's namespace holds.
                Assert.Equal(_all.Data("Secret", ns, reference.Name)?.GetValueOrDefault(reference.Key), value);
            }
        }

        // Copies follow the documented naming: <namespace>.<name> projected to <namespace>/<name>/<key>.
        var volume = _silo.Volumes()["gatewaysync-secrets"];
        foreach (var source in ((JsonArray)volume["projected"]!["sources"]!).Cast<JsonObject>())
        {
            var name = ManifestObject.Str(source["secret"]!["name"])!;
            Assert.True((bool)source["secret"]!["optional"]!, $"{name}: a missing copy must not keep the silo from starting");
            Assert.All(((JsonArray)source["secret"]!["items"]!).Cast<JsonObject>(), item =>
                Assert.Equal(name.Replace('.', '/') + "/" + ManifestObject.Str(item["key"]), ManifestObject.Str(item["path"])));
        }
    }

    [Fact]
    public void Webhook_HmacSecretIsTheSecretsValue_AndTheReceiverRouteIsTheDocumentedOne()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        Assert.Equal(_all.Data("Secret", ManifestSet.SystemNamespace, "stoker-silo")!["webhook-hmac-secret"], settings.Webhook.HmacSecret);
        Assert.Equal("/webhook/{namespace}/{crName}", WebhookReceiverEndpoint.Pattern);
    }

    [Fact]
    public void StorageConnectionString_PointsAtTheEvaluationPostgres_WithItsUserDatabaseAndPassword()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(settings.Storage.ConnectionString);
        var postgres = _all.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-postgres");
        var container = postgres.Container("postgres");
        var environment = PodEnvironment.Resolve(_all, postgres, container, PodEnvironment.Fields(postgres, "stoker-postgres-0", "192.0.2.30"));
        Assert.Equal($"stoker-postgres.{ManifestSet.SystemNamespace}.svc", connection.Host);
        var service = _all.Get("Service", ManifestSet.SystemNamespace, "stoker-postgres");
        var port = ((JsonArray)service.Node["spec"]!["ports"]!).Cast<JsonObject>().Single();
        Assert.Equal(connection.Port, ManifestObject.Int(port["port"]));
        Assert.Equal(connection.Port, Workload.ContainerPort(container, port["targetPort"]));
        Assert.Equal(environment["POSTGRES_USER"], connection.Username);
        Assert.Equal(environment["POSTGRES_DB"], connection.Database);
        Assert.Equal(environment["POSTGRES_PASSWORD"], connection.Password);

        // docs/kubernetes.md replaces the placeholders with sed: they are where it expects them.
        var docs = File.ReadAllText(Demo.Checkout.Combine("docs", "kubernetes.md"));
        Assert.Contains("sed -i \"s/change-me-postgres-password/$pw/\" k8s/silo-secret.yaml k8s/postgres.yaml", docs, StringComparison.Ordinal);
        Assert.Contains("sed -i \"s/change-me-webhook-hmac-secret/$hmac/\" k8s/silo-secret.yaml", docs, StringComparison.Ordinal);
        Assert.Equal("change-me-postgres-password", connection.Password);
        Assert.Equal("change-me-webhook-hmac-secret", settings.Webhook.HmacSecret);
    }

    internal static IReadOnlyList<GatewaySync> GatewaySyncs() =>
        [.. ManifestSet.ControlPlane().Data("ConfigMap", ManifestSet.SystemNamespace, "stoker-manifests")!.Values
            .SelectMany(GatewaySyncSerializer.ParseAll)
            .Select(r => r.IsValid ? r.Resource : throw new InvalidOperationException(r.Describe()))];

    private static IEnumerable<SecretKeyRef> GitSecretKeys(GitAuthSpec? auth) =>
    [
        .. auth?.Token is { } token ? [token.SecretRef] : Array.Empty<SecretKeyRef>(),
        .. auth?.SshKey is { } ssh ? [ssh.SecretRef] : Array.Empty<SecretKeyRef>(),
        .. auth?.SshKey?.KnownHosts is { } hosts ? [hosts.SecretRef] : Array.Empty<SecretKeyRef>(),
    ];

    private JsonObject Env(string name) =>
        ((JsonArray)_container["env"]!).Cast<JsonObject>().Single(e => ManifestObject.Str(e["name"]) == name);
}
