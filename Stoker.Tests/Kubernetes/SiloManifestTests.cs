using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Hosting;
using Stoker.Silo.Webhooks;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// The silo's StatefulSet gives the silo settings its own code accepts: every variable binds to a real option (or is
/// one Orleans' Kubernetes hosting reads), the values pass the silo's validators, and ports, Services, the webhook
/// configurations and the certificate agree with those options.
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

        // Kubernetes mode, clustering on PostgreSQL; the state is not in memory.
        Assert.Equal(Silo.Kubernetes.SiloMode.Kubernetes, settings.Silo.Mode);
        Assert.True(settings.Storage.UsesPostgres);

        // Orleans' Kubernetes hosting names the silo after its pod and advertises the pod IP (downward API); no
        // address of Stoker's own overrides it.
        Assert.Null(settings.Silo.AdvertisedAddress);
        Assert.Equal("metadata.name", Env("POD_NAME")["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("metadata.namespace", Env("POD_NAMESPACE")["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("status.podIP", Env("POD_IP")["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal(settings.Silo.ClusterId, _environment["ORLEANS_CLUSTER_ID"]);
        Assert.Equal(settings.Silo.ServiceId, _environment["ORLEANS_SERVICE_ID"]);

        // The token is mounted: that is how the silo reaches the API server.
        Assert.True(_silo.PodSpec["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.Equal(3, ManifestObject.Int(_silo.Owner.Node["spec"]!["replicas"]));
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
    [InlineData("Stoker__Manifests__Path", "/var/lib/nowhere", "not on a volume")]
    [InlineData("POD_NAMES", "stoker-silo-0", "POD_NAMES: not a setting of the silo")]
    [InlineData("ORLEANS_CLUSTER_ID", "other", "ORLEANS_CLUSTER_ID: \"other\": must equal Stoker:Silo:ClusterId")]
    [InlineData("Stoker__Silo__Mode", "Cluster", "Stoker:Silo")]
    [InlineData("Stoker__Kubernetes__LeaseName", "Bad_Name", "Stoker:Kubernetes:LeaseName")]
    [InlineData("Stoker__Kubernetes__Namespace", "ignition", "Stoker:Kubernetes")]
    [InlineData("Stoker__Admission__CertificatePath", "/etc/webhook-certs/cert.pem", "Stoker:Admission:CertificatePath: \"/etc/webhook-certs/cert.pem\": not a file")]
    [InlineData("Stoker__Admission__SiloEndpoints", "", "Stoker:Admission:SiloEndpoints")]
    [InlineData("Stoker__JsonLogs", "yes", "Stoker:JsonLogs")]
    [InlineData("Stoker__Silo__Tls__CaFile", "/etc/stoker/silo-tls/root.pem", "Stoker:Silo:Tls:CaFile: \"/etc/stoker/silo-tls/root.pem\": not a file")]
    [InlineData("Stoker__Silo__Tls__KeyFile", "", "Stoker:Silo:Tls:KeyFile: required")]
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
        // Stoker.Silo/Program.cs maps /healthz and /readyz; Rbac/ManifestSiloBed waits for silos started from this manifest to answer them.
        var probes = Workload.Probes(_container).ToDictionary(p => p.Kind, p => p.Probe);
        Assert.Equal(["livenessProbe", "readinessProbe", "startupProbe"], probes.Keys.Order());
        Assert.Equal("/healthz", ManifestObject.Str(probes["startupProbe"]["httpGet"]!["path"]));
        Assert.Equal("/healthz", ManifestObject.Str(probes["livenessProbe"]["httpGet"]!["path"]));
        Assert.Equal("/readyz", ManifestObject.Str(probes["readinessProbe"]["httpGet"]!["path"]));
        Assert.All(probes.Values, p => Assert.Equal("http", ManifestObject.Str(p["httpGet"]!["port"])));
    }

    [Fact]
    public void Admission_ServesTheWebhooksWithCertManagersCertificate_AndInjectsTheGatewayServicesAddress()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        Assert.True(settings.Admission.Enabled);

        // Both PEM files are on the volume of the Secret cert-manager issues for the webhook Service's DNS names.
        var mount = _files.MountOf(settings.Admission.CertificatePath!)!;
        Assert.Equal(mount, _files.MountOf(settings.Admission.KeyPath!));
        Assert.Equal("secret", mount.VolumeKind);
        var secretName = ManifestObject.Str(_silo.Volumes()[Workload.VolumeMounts(_container).Single(m => ManifestObject.Str(m["mountPath"]) == mount.MountPath)["name"]!.GetValue<string>()]["secret"]!["secretName"])!;
        var certificate = _all.CertificateFor(ManifestSet.SystemNamespace, secretName);
        Assert.NotNull(certificate);
        Assert.Equal(["tls.crt", "tls.key"], new[] { settings.Admission.CertificatePath!, settings.Admission.KeyPath! }.Select(Path.GetFileName));
        var webhookService = _all.Get("Service", ManifestSet.SystemNamespace, "stoker-silo-webhook");
        var dnsNames = ((JsonArray)certificate.Node["spec"]!["dnsNames"]!).Select(n => ManifestObject.Str(n)).ToList();
        Assert.Contains($"stoker-silo-webhook.{ManifestSet.SystemNamespace}.svc", dnsNames);
        var issuer = ManifestObject.Str(certificate.Node["spec"]!["issuerRef"]!["name"])!;
        Assert.NotNull(_all.Get("Issuer", ManifestSet.SystemNamespace, issuer).Node["spec"]!["selfSigned"]);

        // The webhook Service reaches the admission port; the webhook configurations call that Service with the CA
        // cert-manager injects, on the paths the silo serves.
        var servicePort = ((JsonArray)webhookService.Node["spec"]!["ports"]!).Cast<JsonObject>().Single();
        Assert.Equal(settings.Admission.Port, Workload.ContainerPort(_container, servicePort["targetPort"]));
        var paths = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MutatingWebhookConfiguration"] = Silo.Admission.AdmissionEndpoint.MutatePodPath,
            ["ValidatingWebhookConfiguration"] = Silo.Admission.AdmissionEndpoint.ValidateGatewaySyncPath,
        };
        foreach (var (kind, path) in paths)
        {
            var configuration = _all.OfKind(kind).Single();
            Assert.Equal($"{ManifestSet.SystemNamespace}/{certificate.Name}", ManifestObject.Str(configuration.Node["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"]));
            var service = configuration.Node["webhooks"]![0]!["clientConfig"]!["service"]!;
            Assert.Equal(webhookService.Name, ManifestObject.Str(service["name"]));
            Assert.Equal(webhookService.Namespace, ManifestObject.Str(service["namespace"]));
            Assert.Equal(ManifestObject.Int(servicePort["port"]), ManifestObject.Int(service["port"]));
            Assert.Equal(path, ManifestObject.Str(service["path"]));
        }

        // Injected agents connect to the gateway Service, on the silo's gateway port.
        var endpoint = settings.Admission.SiloEndpoints!.Split(':');
        Assert.Equal($"stoker-silo-gateway.{ManifestSet.SystemNamespace}.svc", endpoint[0]);
        var gatewayPort = ((JsonArray)_all.Get("Service", ManifestSet.SystemNamespace, "stoker-silo-gateway").Node["spec"]!["ports"]!).Cast<JsonObject>().Single();
        Assert.Equal(ManifestObject.Int(gatewayPort["port"]), int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(settings.Silo.GatewayPort, Workload.ContainerPort(_container, gatewayPort["targetPort"]));
    }

    [Fact]
    public void Transport_UsesCertManagersSiloCertificate_IssuedByAPrivateCaForTheSiloName()
    {
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);

        // The three PEM files are the one Secret cert-manager keeps for the silo Certificate.
        var tls = settings.Silo.Tls;
        Assert.Equal(["tls.crt", "tls.key", "ca.crt"], new[] { tls.CertificateFile!, tls.KeyFile!, tls.CaFile! }.Select(Path.GetFileName));
        var mount = _files.MountOf(tls.CertificateFile!)!;
        Assert.All(new[] { tls.KeyFile!, tls.CaFile! }, f => Assert.Equal(mount, _files.MountOf(f)));
        Assert.Equal("secret", mount.VolumeKind);
        Assert.True(mount.ReadOnly);
        var secretName = ManifestObject.Str(_silo.Volumes()[Workload.VolumeMounts(_container).Single(m => ManifestObject.Str(m["mountPath"]) == mount.MountPath)["name"]!.GetValue<string>()]["secret"]!["secretName"])!;
        var certificate = _all.CertificateFor(ManifestSet.SystemNamespace, secretName)!;
        Assert.False(settings.Silo.AllowInsecureAgents);

        // Valid for the name agents and silos ask for, for both ends of a connection, issued by a CA Issuer whose CA
        // is a Certificate of its own (not the self-signed Issuer the webhook uses, whose certificates share no CA).
        var spec = certificate.Node["spec"]!;
        Assert.Contains(Stoker.Grains.Interfaces.Security.SiloCertificateTrust.DefaultServerName, ((JsonArray)spec["dnsNames"]!).Select(n => ManifestObject.Str(n)));
        Assert.Superset(new HashSet<string?> { "server auth", "client auth" }, ((JsonArray)spec["usages"]!).Select(n => ManifestObject.Str(n)).ToHashSet());
        var issuer = _all.Get("Issuer", ManifestSet.SystemNamespace, ManifestObject.Str(spec["issuerRef"]!["name"])!);
        var caSecret = ManifestObject.Str(issuer.Node["spec"]!["ca"]!["secretName"])!;
        Assert.True(_all.CertificateFor(ManifestSet.SystemNamespace, caSecret)!.Node["spec"]!["isCA"]!.GetValue<bool>());
    }

    [Fact]
    public void Webhooks_AreRegisteredAsTheOriginalOperatorRegistersThem()
    {
        var mutating = (JsonObject)_all.OfKind("MutatingWebhookConfiguration").Single().Node["webhooks"]![0]!;
        Assert.Equal("Ignore", ManifestObject.Str(mutating["failurePolicy"]));
        Assert.Equal("None", ManifestObject.Str(mutating["sideEffects"]));
        Assert.Equal("IfNeeded", ManifestObject.Str(mutating["reinvocationPolicy"]));
        Assert.Equal("Equivalent", ManifestObject.Str(mutating["matchPolicy"]));
        Assert.Equal(10, ManifestObject.Int(mutating["timeoutSeconds"]));
        Assert.Equal("""[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"],"scope":"Namespaced"}]""", mutating["rules"]!.ToJsonString());
        Assert.Equal("""{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn","values":["kube-system","kube-node-lease"]}]}""", mutating["namespaceSelector"]!.ToJsonString());

        var validating = (JsonObject)_all.OfKind("ValidatingWebhookConfiguration").Single().Node["webhooks"]![0]!;
        Assert.Equal("Fail", ManifestObject.Str(validating["failurePolicy"]));
        Assert.Equal("None", ManifestObject.Str(validating["sideEffects"]));
        Assert.Equal("""[{"apiGroups":["stoker.io"],"apiVersions":["v1alpha1"],"operations":["CREATE","UPDATE"],"resources":["gatewaysyncs"],"scope":"Namespaced"}]""", validating["rules"]!.ToJsonString());
        foreach (var webhook in new[] { mutating, validating })
        {
            Assert.Equal("""["v1"]""", webhook["admissionReviewVersions"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Secrets_AreReadThroughTheApi_EverySecretTheExamplesName_ReadByTheSilosOwnSecretStore()
    {
        // No secrets folder and no volume of Secret copies: in Kubernetes mode the silo reads Secrets through the API.
        var settings = SiloSettings.BindOrThrow(_environment, _files.HostPath);
        Assert.Null(settings.Silo.SecretsPath);
        Assert.DoesNotContain("gatewaysync-secrets", _silo.Volumes().Keys);
        Assert.All(_silo.Volumes().Values, v => Assert.Null(v["projected"]));

        // The example's Secrets, applied to an API server, are what the silo's own store reads for each example GatewaySync.
        await using var api = new FakeKubeApi.FakeKubeApiServer();
        await api.StartAsync();
        foreach (var secret in _all.OfKind("Secret"))
        {
            api.Seed((JsonObject)secret.Node.DeepClone());
        }

        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(api.WriteKubeconfig(_temp.Combine("kubeconfig"))));
        var store = new Silo.Kubernetes.Secrets.KubernetesSecretStore(client, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Silo.Kubernetes.Secrets.KubernetesSecretStore>.Instance);
        foreach (var resource in GatewaySyncs())
        {
            var ns = resource.Metadata.Namespace!;
            var apiKey = resource.Spec.Gateway.Api;
            Assert.False(string.IsNullOrEmpty(await store.ReadAsync(ns, apiKey.SecretName, apiKey.SecretKey, CancellationToken.None)), $"{resource.Metadata.Name}: the API key Secret {ns}/{apiKey.SecretName} (key {apiKey.SecretKey}) is not in the examples");
            foreach (var reference in GitSecretKeys(resource.Spec.Git.Auth))
            {
                var value = await store.ReadAsync(ns, reference.Name, reference.Key, CancellationToken.None);
                Assert.False(string.IsNullOrWhiteSpace(value), $"{resource.Metadata.Name}: git Secret {ns}/{reference.Name} key {reference.Key} is not in the examples");
                Assert.Equal(_all.Data("Secret", ns, reference.Name)?.GetValueOrDefault(reference.Key), value);
            }
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
        Assert.Contains("sed -i \"s/change-me-postgres-password/$pw/\" k8s/overlays/eval/silo-secret.yaml k8s/overlays/eval/postgres.yaml", docs, StringComparison.Ordinal);
        Assert.Contains("sed -i \"s/change-me-webhook-hmac-secret/$hmac/\" k8s/overlays/eval/silo-secret.yaml", docs, StringComparison.Ordinal);
        Assert.Equal("change-me-postgres-password", connection.Password);
        Assert.Equal("change-me-webhook-hmac-secret", settings.Webhook.HmacSecret);
    }

    /// <summary>The example GatewaySyncs (<c>k8s/examples/gatewaysync.yaml</c>), read and validated as the silo reads them.</summary>
    internal static IReadOnlyList<GatewaySync> GatewaySyncs() =>
        [.. GatewaySyncSerializer.ParseAll(File.ReadAllText(Path.Join(ManifestSet.K8sRoot, ManifestSet.ExampleGatewaySyncFile)))
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
