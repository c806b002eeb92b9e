using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>One Kubernetes object from a manifest file: the YAML read into JSON the way kubectl sends it.</summary>
internal sealed record ManifestObject(string File, int Document, JsonObject Node)
{
    public string? ApiVersion => Str(Node["apiVersion"]);

    public string? Kind => Str(Node["kind"]);

    public string? Name => Str(Node["metadata"]?["name"]);

    public string? Namespace => Str(Node["metadata"]?["namespace"]);

    public string Id => $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name}";

    /// <summary>Where it comes from, for assertion messages.</summary>
    public string Where => $"{Id} ({File}, document {Document})";

    public static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A YAML integer (read as a 64-bit number), or an error naming what was there instead.</summary>
    public static int Int(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) && number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw new InvalidOperationException($"expected an integer, found {node?.ToJsonString() ?? "nothing"}");

    public static bool IsInt(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out _);
}

/// <summary>
/// The manifests of <c>k8s/</c>: the control plane as <c>kubectl kustomize</c> builds it from the base and an overlay,
/// and the examples. Example files are read with the project's own YAML reader (<see cref="YamlJson"/>: YAML 1.2 core
/// scalars, as kubectl); kustomize's output is read the same way.
/// </summary>
internal sealed class ManifestSet
{
    public const string SystemNamespace = "stoker-system";

    /// <summary>The evaluation overlay: the base and a PostgreSQL of its own.</summary>
    public const string EvalOverlay = "overlays/eval";

    /// <summary>The production overlay: the base on a database the user provides.</summary>
    public const string ProdOverlay = "overlays/prod";

    public const string Base = "base";

    /// <summary>Every folder with a kustomization.yaml that <c>kubectl kustomize</c> must build.</summary>
    /// <summary>The optional monitors and Grafana dashboards (Prometheus Operator CRDs required), applied beside an overlay.</summary>
    public const string Monitoring = "monitoring";

    public static readonly IReadOnlyList<string> Kustomizations = [Base, EvalOverlay, ProdOverlay, "crd", Monitoring];

    public const string ExampleGatewayFile = "examples/ignition-gateway.yaml";

    public const string ExampleGatewaySyncFile = "examples/gatewaysync.yaml";

    public static readonly IReadOnlyList<string> ExampleFiles = [ExampleGatewaySyncFile, ExampleGatewayFile];

    private static readonly ConcurrentDictionary<string, Lazy<ManifestSet>> Built = new(StringComparer.Ordinal);

    private ManifestSet(IReadOnlyList<ManifestObject> objects) => Objects = objects;

    public IReadOnlyList<ManifestObject> Objects { get; }

    public static string K8sRoot => Checkout.Combine("k8s");

    /// <summary>The resources a folder's <c>kustomization.yaml</c> lists, relative to that folder.</summary>
    public static IReadOnlyList<string> KustomizationResources(string folder)
    {
        var kustomization = (JsonObject)YamlJson.ReadOne(File.ReadAllText(Path.Join(K8sRoot, folder, "kustomization.yaml")));
        // A kustomization may only generate (deploy/grafana's configMapGenerator) and list no resources.
        return [.. (kustomization["resources"] as JsonArray ?? []).Select(r => ManifestObject.Str(r)!)];
    }

    /// <summary>What <c>kubectl apply -k k8s/overlays/eval</c> installs.</summary>
    public static ManifestSet ControlPlane() => Build(EvalOverlay);

    /// <summary>What <c>kubectl kustomize k8s/{folder}</c> prints (built once per test run).</summary>
    public static ManifestSet Build(string folder) => Built.GetOrAdd(folder, f => new Lazy<ManifestSet>(() => Parse($"kubectl kustomize k8s/{f}", Kubectl.Kustomize(f)))).Value;

    public static ManifestSet Example() => Load(ExampleFiles);

    /// <summary>The control plane and the examples together, as a cluster has them after both are applied.</summary>
    public static ManifestSet Everything() => new([.. ControlPlane().Objects, .. Example().Objects]);

    public static ManifestSet Load(IEnumerable<string> relativeFiles) =>
        new([.. relativeFiles.SelectMany(file => Read(file, File.ReadAllText(Path.Join(K8sRoot, file))))]);

    public static ManifestSet Parse(string name, string yaml) => new([.. Read(name, yaml)]);

    private static IEnumerable<ManifestObject> Read(string file, string yaml) =>
        YamlJson.ReadAll(yaml).Select((node, i) => new ManifestObject(file, i + 1, node as JsonObject
            ?? throw new InvalidOperationException($"{file}, document {i + 1}: not a mapping")));

    public IEnumerable<ManifestObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public ManifestObject? Find(string kind, string? ns, string name) =>
        Objects.FirstOrDefault(o => o.Kind == kind && o.Namespace == ns && o.Name == name);

    public ManifestObject Get(string kind, string? ns, string name) =>
        Find(kind, ns, name) ?? throw new InvalidOperationException($"no {kind} {ns}/{name} in the manifests");

    /// <summary>Objects that run pods, with their pod template.</summary>
    public IEnumerable<Workload> Workloads() =>
        Objects.Where(o => o.Kind is "StatefulSet" or "Deployment" or "DaemonSet").Select(o => new Workload(o));

    public Workload Workload(string kind, string ns, string name) => new(Get(kind, ns, name));

    /// <summary>The cert-manager Certificate whose Secret is <paramref name="secretName"/>, or null.</summary>
    public ManifestObject? CertificateFor(string ns, string secretName) =>
        OfKind("Certificate").FirstOrDefault(c => c.Namespace == ns && ManifestObject.Str(c.Node["spec"]?["secretName"]) == secretName);

    /// <summary>
    /// What cert-manager writes into a Certificate's Secret: a stand-in for loopback, issued by a CA (<c>ca.crt</c>)
    /// for the webhook Service's name and the silos' own (<c>stoker-silo</c>, for server and client authentication).
    /// </summary>
    private static readonly Lazy<IReadOnlyDictionary<string, string>> IssuedCertificate = new(() =>
    {
        var now = TimeProvider.System.GetUtcNow();
        using var ca = Stoker.Silo.Transport.SiloCertificateAuthority.CreateCa(now, "cert-manager");
        using var certificate = Stoker.Silo.Transport.SiloCertificateAuthority.IssueSiloCertificate(
            ca, ["stoker-silo", "stoker-silo-webhook.stoker-system.svc", "localhost"], [System.Net.IPAddress.Loopback], now);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tls.crt"] = certificate.ExportCertificatePem(),
            ["tls.key"] = certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
            ["ca.crt"] = ca.ExportCertificatePem(),
        };
    });

    /// <summary>A Secret's or ConfigMap's entries (stringData and base64 data alike), or null if there is no such object.</summary>
    public IReadOnlyDictionary<string, string>? Data(string kind, string ns, string name)
    {
        if (kind == "Secret" && CertificateFor(ns, name) is not null)
        {
            return IssuedCertificate.Value;
        }

        if (Find(kind, ns, name) is not { } found)
        {
            return null;
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (found.Node["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                var text = ManifestObject.Str(value) ?? "";
                entries[key] = kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;
            }
        }

        if (found.Node["stringData"] is JsonObject stringData)
        {
            foreach (var (key, value) in stringData)
            {
                entries[key] = ManifestObject.Str(value) ?? "";
            }
        }

        return entries;
    }
}

/// <summary>A StatefulSet (or Deployment, DaemonSet) and its pod template.</summary>
internal sealed class Workload(ManifestObject owner)
{
    public ManifestObject Owner { get; } = owner;

    public string Namespace => Owner.Namespace!;

    public JsonObject Template => (JsonObject)Owner.Node["spec"]!["template"]!;

    public JsonObject PodSpec => (JsonObject)Template["spec"]!;

    public IReadOnlyDictionary<string, string> PodLabels => Labels(Template["metadata"]?["labels"]);

    /// <summary>Every container: the regular ones and the init containers (native sidecars among them).</summary>
    public IEnumerable<JsonObject> Containers() =>
        new[] { "initContainers", "containers" }.SelectMany(k => PodSpec[k] is JsonArray list ? list.Cast<JsonObject>() : []);

    public JsonObject Container(string name) =>
        Containers().SingleOrDefault(c => ManifestObject.Str(c["name"]) == name)
        ?? throw new InvalidOperationException($"{Owner.Where}: no container {name}");

    public bool IsInit(JsonObject container) => PodSpec["initContainers"] is JsonArray list && list.Contains(container);

    /// <summary>The pod volumes and the StatefulSet's claim templates, by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Volumes()
    {
        var volumes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var volume in PodSpec["volumes"] is JsonArray list ? list.Cast<JsonObject>() : [])
        {
            volumes[ManifestObject.Str(volume["name"])!] = volume;
        }

        foreach (var claim in Owner.Node["spec"]!["volumeClaimTemplates"] is JsonArray claims ? claims.Cast<JsonObject>() : [])
        {
            volumes[ManifestObject.Str(claim["metadata"]!["name"])!] = new JsonObject { ["name"] = claim["metadata"]!["name"]!.DeepClone(), ["persistentVolumeClaim"] = new JsonObject() };
        }

        return volumes;
    }

    public static IEnumerable<JsonObject> Ports(JsonObject container) =>
        container["ports"] is JsonArray ports ? ports.Cast<JsonObject>() : [];

    /// <summary>The container port a Service target or probe names (by name or number), or null.</summary>
    public static int? ContainerPort(JsonObject container, JsonNode? port) =>
        ManifestObject.Str(port) is { } name
            ? Ports(container).Where(p => ManifestObject.Str(p["name"]) == name).Select(p => (int?)ManifestObject.Int(p["containerPort"])).FirstOrDefault()
            : Ports(container).Select(p => ManifestObject.Int(p["containerPort"])).Where(p => ManifestObject.IsInt(port) && ManifestObject.Int(port) == p).Select(p => (int?)p).FirstOrDefault();

    public static IEnumerable<JsonObject> VolumeMounts(JsonObject container) =>
        container["volumeMounts"] is JsonArray mounts ? mounts.Cast<JsonObject>() : [];

    /// <summary>The container's probes by kind (startupProbe, livenessProbe, readinessProbe).</summary>
    public static IEnumerable<(string Kind, JsonObject Probe)> Probes(JsonObject container) =>
        new[] { "startupProbe", "livenessProbe", "readinessProbe" }.Where(k => container[k] is JsonObject).Select(k => (k, (JsonObject)container[k]!));

    public static IReadOnlyList<string> Args(JsonObject container) =>
        container["args"] is JsonArray args ? [.. args.Select(a => ManifestObject.Str(a)!)] : [];

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? node) =>
        node is JsonObject labels ? labels.ToDictionary(p => p.Key, p => ManifestObject.Str(p.Value) ?? "", StringComparer.Ordinal) : new Dictionary<string, string>();
}
