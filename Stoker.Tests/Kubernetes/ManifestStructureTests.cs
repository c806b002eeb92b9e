using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// The manifests under <c>k8s/</c> are well-formed Kubernetes objects that refer to each other correctly: no cluster
/// here to apply them to, so every cross-reference a cluster would resolve is resolved by the test instead.
/// </summary>
public sealed partial class ManifestStructureTests
{
    // The kinds the manifests use and their API groups; anything else is a typo or needs a test of its own.
    private static readonly Dictionary<string, string> ApiVersions = new(StringComparer.Ordinal)
    {
        ["Namespace"] = "v1",
        ["ServiceAccount"] = "v1",
        ["Secret"] = "v1",
        ["ConfigMap"] = "v1",
        ["Service"] = "v1",
        ["StatefulSet"] = "apps/v1",
        ["CustomResourceDefinition"] = "apiextensions.k8s.io/v1",
        ["ClusterRole"] = "rbac.authorization.k8s.io/v1",
        ["ClusterRoleBinding"] = "rbac.authorization.k8s.io/v1",
        ["Role"] = "rbac.authorization.k8s.io/v1",
        ["RoleBinding"] = "rbac.authorization.k8s.io/v1",
        ["MutatingWebhookConfiguration"] = "admissionregistration.k8s.io/v1",
        ["ValidatingWebhookConfiguration"] = "admissionregistration.k8s.io/v1",
        ["Issuer"] = "cert-manager.io/v1",
        ["Certificate"] = "cert-manager.io/v1",
        ["GatewaySync"] = "stoker.io/v1alpha1",
    };

    private static readonly HashSet<string> ClusterScoped =
        ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    private readonly ManifestSet _controlPlane = ManifestSet.ControlPlane();
    private readonly ManifestSet _example = ManifestSet.Example();
    private readonly ManifestSet _all = ManifestSet.Everything();

    [Fact]
    public void Kustomizations_BetweenThemListEveryManifestFile_ButTheExamples()
    {
        var listed = ManifestSet.Kustomizations.SelectMany(KubectlKustomizeTests.Files).ToHashSet(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(ManifestSet.K8sRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ManifestSet.K8sRoot, f).Replace('\\', '/'))
            .Where(f => Path.GetFileName(f) != "kustomization.yaml" && !f.StartsWith("examples/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(files, listed.Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Matches(@"\.yaml$", f));
        Assert.Equal(ManifestSet.ExampleFiles.Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(Path.Join(ManifestSet.K8sRoot, "examples")).Select(f => "examples/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
        Assert.Equal(ManifestSet.Kustomizations.Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(ManifestSet.K8sRoot, "kustomization.yaml", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(ManifestSet.K8sRoot, Path.GetDirectoryName(f)!).Replace('\\', '/')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryDocument_IsAKubernetesObject_WithKnownKindNameAndNamespace()
    {
        Assert.NotEmpty(_all.Objects);
        foreach (var o in _all.Objects)
        {
            Assert.True(o.Kind is not null && ApiVersions.ContainsKey(o.Kind), $"{o.Where}: kind {o.Kind ?? "(none)"} is not one the manifests are meant to use");
            Assert.True(o.ApiVersion == ApiVersions[o.Kind!], $"{o.Where}: apiVersion {o.ApiVersion ?? "(none)"}, expected {ApiVersions[o.Kind!]}");
            Assert.True(o.Name is { } name && DnsSubdomain().IsMatch(name) && name.Length <= 253, $"{o.Where}: metadata.name must be a DNS subdomain");
            if (o.Kind is "Namespace" or "Service")
            {
                Assert.True(DnsLabel().IsMatch(o.Name!) && o.Name!.Length <= 63, $"{o.Where}: a {o.Kind} name must be a DNS label");
            }

            if (ClusterScoped.Contains(o.Kind!))
            {
                Assert.True(o.Namespace is null, $"{o.Where}: a cluster-scoped object has no namespace");
            }
            else
            {
                Assert.True(o.Namespace is not null, $"{o.Where}: metadata.namespace must be given (the manifests do not rely on kubectl's current namespace)");
            }

            foreach (var (key, value) in Workload.Labels(o.Node["metadata"]?["labels"]))
            {
                Assert.True(LabelValue().IsMatch(value) && value.Length <= 63, $"{o.Where}: label {key}={value} is not a valid label value");
            }
        }

        var ids = _all.Objects.Select(o => o.Id).ToList();
        Assert.True(ids.Count == ids.Distinct(StringComparer.Ordinal).Count(), "an object is declared twice: " + string.Join(", ", ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key)));
    }

    [Fact]
    public void Namespaces_TheControlPlaneIsInStokerSystem_AndEveryNamespaceUsedIsDeclared()
    {
        Assert.All(_controlPlane.Objects.Where(o => o.Namespace is not null), o => Assert.Equal(ManifestSet.SystemNamespace, o.Namespace));
        Assert.NotNull(_controlPlane.Find("Namespace", null, ManifestSet.SystemNamespace));
        var declared = _all.OfKind("Namespace").Select(n => n.Name).ToHashSet();
        Assert.All(_all.Objects.Where(o => o.Namespace is not null), o => Assert.True(declared.Contains(o.Namespace), $"{o.Where}: namespace {o.Namespace} is not declared"));

        // The examples bring their own namespace; what they add to stoker-system are only the silo's Secret copies.
        Assert.All(_example.Objects.Where(o => o.Namespace == ManifestSet.SystemNamespace), o => Assert.Equal("Secret", o.Kind));
    }

    [Fact]
    public void Workloads_SelectorsMatchTheirPods_ContainersAndPortsAreUnique_StatefulSetsHaveTheirService()
    {
        foreach (var workload in _all.Workloads())
        {
            var where = workload.Owner.Where;
            var selector = Workload.Labels(workload.Owner.Node["spec"]!["selector"]!["matchLabels"]);
            Assert.NotEmpty(selector);
            Assert.All(selector, p => Assert.True(workload.PodLabels.GetValueOrDefault(p.Key) == p.Value, $"{where}: selector {p.Key}={p.Value} does not match the pod template's labels"));

            var containers = workload.Containers().ToList();
            var names = containers.Select(c => ManifestObject.Str(c["name"])).ToList();
            Assert.True(names.Count == names.Distinct().Count(), $"{where}: container names repeat");
            var portNames = containers.SelectMany(Workload.Ports).Select(p => ManifestObject.Str(p["name"])).Where(n => n is not null).ToList();
            Assert.True(portNames.Count == portNames.Distinct().Count(), $"{where}: port names repeat within the pod");
            Assert.All(portNames, n => Assert.True(PortName().IsMatch(n!) && n!.Length <= 15, $"{where}: port name {n} is not a valid IANA service name"));

            if (workload.Owner.Kind == "StatefulSet")
            {
                var serviceName = ManifestObject.Str(workload.Owner.Node["spec"]!["serviceName"]);
                Assert.True(serviceName is not null && _all.Find("Service", workload.Namespace, serviceName) is not null, $"{where}: serviceName {serviceName} is not a Service");
            }

            if (ManifestObject.Str(workload.PodSpec["serviceAccountName"]) is { } account)
            {
                Assert.True(_all.Find("ServiceAccount", workload.Namespace, account) is not null, $"{where}: serviceAccountName {account} does not exist");
            }
        }
    }

    [Fact]
    public void Services_SelectAWorkloadsPods_AndTargetPortsItsContainersDeclare()
    {
        foreach (var service in _all.OfKind("Service"))
        {
            var selector = Workload.Labels(service.Node["spec"]!["selector"]);
            Assert.True(selector.Count > 0, $"{service.Where}: no selector");
            var selected = _all.Workloads().Where(w => w.Namespace == service.Namespace && selector.All(p => w.PodLabels.GetValueOrDefault(p.Key) == p.Value)).ToList();
            Assert.True(selected.Count > 0, $"{service.Where}: its selector matches no workload's pods");
            foreach (var port in ((JsonArray)service.Node["spec"]!["ports"]!).Cast<JsonObject>())
            {
                var target = port["targetPort"] ?? port["port"];
                Assert.All(selected, w => Assert.True(
                    w.Containers().Any(c => Workload.ContainerPort(c, target) is not null),
                    $"{service.Where}: port {ManifestObject.Str(port["name"])} targets {target?.ToJsonString()}, which no container of {w.Owner.Id} declares"));
            }
        }
    }

    [Fact]
    public void Probes_UsePortsTheirContainerDeclares()
    {
        foreach (var workload in _all.Workloads())
        {
            foreach (var container in workload.Containers())
            {
                foreach (var (kind, probe) in Workload.Probes(container))
                {
                    var where = $"{workload.Owner.Where}: container {ManifestObject.Str(container["name"])} {kind}";
                    var port = probe["httpGet"]?["port"] ?? probe["tcpSocket"]?["port"];
                    if (port is null)
                    {
                        Assert.True(probe["exec"] is not null, $"{where}: neither httpGet, tcpSocket nor exec");
                        continue;
                    }

                    Assert.True(Workload.ContainerPort(container, port) is not null, $"{where}: port {port.ToJsonString()} is not a port of the container");
                    if (probe["httpGet"] is JsonObject get)
                    {
                        Assert.StartsWith("/", ManifestObject.Str(get["path"]), StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Fact]
    public void Volumes_EveryMountHasItsVolume_EveryVolumeIsMounted_AndEveryReferencedObjectAndKeyExists()
    {
        using var temp = new Infrastructure.TempDirectory("k8s-volumes");
        foreach (var workload in _all.Workloads())
        {
            var volumes = workload.Volumes();
            var mounted = workload.Containers().SelectMany(Workload.VolumeMounts).Select(m => ManifestObject.Str(m["name"])).ToHashSet();
            Assert.All(volumes.Keys, v => Assert.True(mounted.Contains(v), $"{workload.Owner.Where}: volume {v} is mounted by no container"));
            foreach (var container in workload.Containers())
            {
                // Lays the mounts out as the kubelet would: a missing ConfigMap, Secret or key throws, naming it.
                var files = PodFileSystem.Materialize(_all, workload, container, temp.Combine(workload.Owner.Name!, ManifestObject.Str(container["name"])!));
                Assert.Equal(Workload.VolumeMounts(container).Count(), files.Mounts.Count);
                var env = PodEnvironment.Resolve(_all, workload, container, PodEnvironment.Fields(workload, workload.Owner.Name + "-0", "192.0.2.10"));
                Assert.Equal(container["env"] is JsonArray list ? list.Count : 0, env.Count);
            }
        }
    }

    [Fact]
    public void ControlPlane_WithoutTheExample_GivesSiloSettingsItsValidatorsAccept_AndNoSecretVolumeIsMissing()
    {
        // kubectl apply -k k8s/overlays/eval alone must give a silo that starts: its mounts and variables resolve
        // without the example's Secrets (the silo reads a GatewaySync's Secrets through the API, not from a volume),
        // and what the silo validates at start passes.
        // A silo process started from these manifests is Rbac/ManifestSiloBed's job; this checks the subset alone.
        using var temp = new Infrastructure.TempDirectory("k8s-volumes");
        var workloads = _controlPlane.Workloads().ToList();
        foreach (var workload in workloads)
        {
            foreach (var container in workload.Containers())
            {
                var files = PodFileSystem.Materialize(_controlPlane, workload, container, temp.Combine(workload.Owner.Name!, ManifestObject.Str(container["name"])!));
                var environment = PodEnvironment.Resolve(_controlPlane, workload, container, PodEnvironment.Fields(workload, workload.Owner.Name + "-0", "192.0.2.10"));
                if (workload.Owner.Name == "stoker-silo" && ManifestObject.Str(container["name"]) == "silo")
                {
                    var settings = SiloSettings.Bind(environment, files.HostPath, out var problems);
                    Assert.True(problems.Count == 0, string.Join("\n", problems));
                    Assert.NotNull(settings);
                }

                foreach (var mount in Workload.VolumeMounts(container))
                {
                    var volume = workload.Volumes()[ManifestObject.Str(mount["name"])!];
                    Assert.DoesNotContain(OptionalSecretSources(volume), name => _controlPlane.Data("Secret", workload.Namespace, name) is null);
                }
            }
        }

        Assert.Contains(workloads, w => w.Owner.Name == "stoker-silo");
    }

    private static IEnumerable<string> OptionalSecretSources(JsonObject volume) =>
        (volume["projected"]?["sources"] as JsonArray ?? [])
            .Select(source => source?["secret"])
            .Append(volume["secret"])
            .OfType<JsonObject>()
            .Where(secret => secret["optional"] is JsonValue o && o.GetValue<bool>())
            .Select(secret => ManifestObject.Str(secret["name"] ?? secret["secretName"])!);

    [Fact]
    public void Images_AreTheOnesTheDockerfilesAndComposeFileName()
    {
        var compose = ComposeFile.Load(Checkout.Combine("docker-compose.yml"));
        string ImageBuiltFrom(string dockerfile) => ComposeFile.Scalar(compose.ServiceNames.Select(compose.Service)
            .First(s => ComposeFile.Child(s, "build") is YamlDotNet.RepresentationModel.YamlMappingNode build && ComposeFile.Scalar(build, "dockerfile") == dockerfile), "image")!;

        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["silo"] = ImageBuiltFrom("deploy/silo.Dockerfile"),
            ["ignition"] = ComposeFile.Scalar(compose.Service("gateway-north"), "image")!,
            ["postgres"] = ComposeFile.Scalar(compose.Service("postgres"), "image")!,
        };
        Assert.Equal("stoker/silo:dev", expected["silo"]);
        // The agent is injected, not written: its image is the silo's default for the webhook.
        var agentImage = ImageBuiltFrom("deploy/agent.Dockerfile");
        Assert.Equal("stoker/agent:dev", agentImage);
        var siloEnvironment = (JsonArray)_controlPlane.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo").Container("silo")["env"]!;
        Assert.Equal(agentImage, ManifestObject.Str(siloEnvironment.Cast<JsonObject>().Single(e => ManifestObject.Str(e["name"]) == "Stoker__Admission__DefaultAgentImage")["value"]));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in _all.Workloads())
        {
            foreach (var container in workload.Containers())
            {
                var name = ManifestObject.Str(container["name"])!;
                Assert.True(expected.TryGetValue(name, out var image), $"{workload.Owner.Where}: container {name} has no expected image");
                Assert.Equal(image, ManifestObject.Str(container["image"]));
                Assert.Equal("IfNotPresent", ManifestObject.Str(container["imagePullPolicy"]));
                seen.Add(name);
            }
        }

        Assert.Equal(expected.Keys.Order(), seen.Order());
    }

    [Fact]
    public void SecurityContexts_StokerContainersRunAsNonRootOnAReadOnlyRoot_WithAWritableTmp()
    {
        // The injected agent's security context is the webhook's (Stoker.Tests/Admission).
        foreach (var (workload, containerName) in new[] { (_controlPlane.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo"), "silo") })
        {
            var container = workload.Container(containerName);
            var security = container["securityContext"] as JsonObject ?? [];
            static bool Is(JsonNode? node, bool expected) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b == expected;
            Assert.True(Is(security["readOnlyRootFilesystem"], true), $"{containerName}: securityContext.readOnlyRootFilesystem must be true");
            Assert.True(Is(security["allowPrivilegeEscalation"], false), $"{containerName}: securityContext.allowPrivilegeEscalation must be false");
            Assert.True(security["capabilities"]?["drop"] is JsonArray drop && drop.Any(d => ManifestObject.Str(d) == "ALL"), $"{containerName}: securityContext.capabilities.drop must hold ALL");
            Assert.True(Is(security["runAsNonRoot"] ?? workload.PodSpec["securityContext"]?["runAsNonRoot"], true), $"{containerName}: runAsNonRoot must be true");
            Assert.Contains(Workload.VolumeMounts(container), m => ManifestObject.Str(m["mountPath"]) == "/tmp" && workload.Volumes()[ManifestObject.Str(m["name"])!]["emptyDir"] is not null);
        }
    }

    // The fields of the Kubernetes API (core/v1, apps/v1) that these objects may carry: a field name outside them is a
    // typo the API server would reject (or, with client-side pruning, silently drop). Not a full schema: the objects
    // below are the ones hand-written in the manifests.
    private static readonly Dictionary<string, HashSet<string>> Fields = new(StringComparer.Ordinal)
    {
        ["StatefulSetSpec"] = ["serviceName", "replicas", "podManagementPolicy", "selector", "template", "volumeClaimTemplates", "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"],
        ["PodSpec"] = ["containers", "initContainers", "volumes", "serviceAccountName", "automountServiceAccountToken", "terminationGracePeriodSeconds", "securityContext", "affinity", "nodeSelector", "tolerations", "priorityClassName", "imagePullSecrets", "dnsPolicy", "enableServiceLinks", "topologySpreadConstraints", "restartPolicy", "shareProcessNamespace", "hostname", "subdomain"],
        ["Container"] = ["name", "image", "imagePullPolicy", "command", "args", "workingDir", "ports", "env", "envFrom", "volumeMounts", "resources", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "securityContext", "restartPolicy", "terminationMessagePath", "terminationMessagePolicy", "stdin", "tty", "resizePolicy", "volumeDevices"],
        ["SecurityContext"] = ["runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "privileged", "capabilities", "seccompProfile", "seLinuxOptions", "procMount", "appArmorProfile"],
        ["PodSecurityContext"] = ["runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "fsGroupChangePolicy", "supplementalGroups", "supplementalGroupsPolicy", "seccompProfile", "seLinuxOptions", "sysctls", "appArmorProfile"],
        ["Probe"] = ["httpGet", "tcpSocket", "exec", "grpc", "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"],
        ["ContainerPort"] = ["name", "containerPort", "protocol", "hostPort", "hostIP"],
        ["EnvVar"] = ["name", "value", "valueFrom"],
        ["VolumeMount"] = ["name", "mountPath", "readOnly", "subPath", "subPathExpr", "mountPropagation", "recursiveReadOnly"],
        ["Volume"] = ["name", "configMap", "secret", "projected", "emptyDir", "persistentVolumeClaim", "downwardAPI", "hostPath", "ephemeral"],
        ["ResourceRequirements"] = ["requests", "limits", "claims"],
        ["ServiceSpec"] = ["type", "selector", "ports", "clusterIP", "clusterIPs", "publishNotReadyAddresses", "sessionAffinity", "sessionAffinityConfig", "externalTrafficPolicy", "internalTrafficPolicy", "ipFamilies", "ipFamilyPolicy", "loadBalancerClass", "loadBalancerSourceRanges", "externalName", "trafficDistribution"],
        ["ServicePort"] = ["name", "port", "targetPort", "protocol", "nodePort", "appProtocol"],
        ["ObjectMeta"] = ["name", "namespace", "labels", "annotations", "generateName", "finalizers", "ownerReferences"],
    };

    [Fact]
    public void KnownFields_PodsContainersProbesVolumesAndServicesUseOnlyKubernetesFieldNames()
    {
        var unknown = new List<string>();
        void Check(string where, string type, JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                unknown.AddRange(obj.Select(p => p.Key).Where(k => !Fields[type].Contains(k)).Select(k => $"{where}: {k} is not a field of {type}"));
            }
        }

        foreach (var o in _all.Objects)
        {
            Check(o.Where + " metadata", "ObjectMeta", o.Node["metadata"]);
            if (o.Kind == "Service")
            {
                Check(o.Where + " spec", "ServiceSpec", o.Node["spec"]);
                foreach (var port in (o.Node["spec"]?["ports"] as JsonArray ?? []).Cast<JsonNode>())
                {
                    Check(o.Where + " port", "ServicePort", port);
                }
            }
        }

        foreach (var workload in _all.Workloads())
        {
            var where = workload.Owner.Where;
            Check(where + " spec", "StatefulSetSpec", workload.Owner.Node["spec"]);
            Check(where + " template metadata", "ObjectMeta", workload.Template["metadata"]);
            Check(where + " pod", "PodSpec", workload.PodSpec);
            Check(where + " pod securityContext", "PodSecurityContext", workload.PodSpec["securityContext"]);
            foreach (var volume in (workload.PodSpec["volumes"] as JsonArray ?? []).Cast<JsonNode>())
            {
                Check(where + " volume", "Volume", volume);
            }

            foreach (var container in workload.Containers())
            {
                var at = $"{where} container {ManifestObject.Str(container["name"])}";
                Check(at, "Container", container);
                Check(at + " securityContext", "SecurityContext", container["securityContext"]);
                Check(at + " resources", "ResourceRequirements", container["resources"]);
                foreach (var (kind, probe) in Workload.Probes(container))
                {
                    Check($"{at} {kind}", "Probe", probe);
                }

                foreach (var port in Workload.Ports(container))
                {
                    Check(at + " port", "ContainerPort", port);
                }

                foreach (var variable in (container["env"] as JsonArray ?? []).Cast<JsonNode>())
                {
                    Check(at + " env", "EnvVar", variable);
                }

                foreach (var mount in Workload.VolumeMounts(container))
                {
                    Check(at + " volumeMount", "VolumeMount", mount);
                }
            }
        }

        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex PortName();
}
