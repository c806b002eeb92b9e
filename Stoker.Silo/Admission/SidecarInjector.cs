using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Admission;

/// <summary>
/// The agent as a native sidecar (docs/kubernetes.md, "Admission webhooks"): which pods get one, and the JSON Patch
/// that adds it. Pure: the pod, the resolved GatewaySync and the silo's settings in, operations out.
/// Unlike the original, the agent gets no Secret, no ConfigMap and no RBAC: only the silo's gateway address, a
/// projected service-account token as its identity, the gateway's data volume and size-limited emptyDirs.
/// </summary>
public static class SidecarInjector
{
    public const string ContainerName = "stoker-agent";
    public const string RepoVolume = "sync-repo";
    public const string TmpVolume = "git-tmp";
    public const string TokenVolume = "stoker-agent-token";

    public const string NotRequested = "injection not requested";
    public const string AlreadyInjected = "already injected";

    /// <summary>Data volumes looked for, in order; the gateway's mount path of the first found is reused.</summary>
    public static readonly IReadOnlyList<string> DataVolumeNames = ["ignition-data", "data"];

    /// <summary>Why the pod is let through untouched (steps 2–3 of the decision flow), or null to inject.</summary>
    public static string? SkipReason(PodShape pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Annotation(Annotations.Inject) != "true")
        {
            return NotRequested;
        }

        return pod.InitContainerNames.Contains(ContainerName, StringComparer.Ordinal) ? AlreadyInjected : null;
    }

    /// <summary>The image: pod annotation, else <c>spec.agent.image</c>, else the silo's default.</summary>
    public static string ResolveImage(PodShape pod, GatewaySync resource, string defaultImage)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(resource);
        if (pod.Annotation(Annotations.AgentImage) is { Length: > 0 } annotated)
        {
            return annotated;
        }

        return resource.Spec.Agent?.Image is { Repository: { Length: > 0 } repository } image
            ? $"{repository}:{(string.IsNullOrEmpty(image.Tag) ? "latest" : image.Tag)}"
            : defaultImage;
    }

    /// <summary>
    /// The operations, in this order: annotations, label, the agent as the first init container, the volumes.
    /// <c>add</c> on an existing object member replaces it (RFC 6902), so the annotations need no test first.
    /// </summary>
    public static IReadOnlyList<JsonPatchOperation> Inject(PodShape pod, string crName, bool crNameDiscovered, GatewaySync resource, AgentInjectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(settings);
        var operations = new List<JsonPatchOperation>();

        var annotations = new List<(string, string)>();
        if (crNameDiscovered)
        {
            annotations.Add((Annotations.CrName, crName));
        }

        annotations.Add((Annotations.Injected, "true"));
        AddToMap(operations, "/metadata/annotations", pod.HasAnnotations, annotations);
        AddToMap(operations, "/metadata/labels", pod.HasLabels, [(Annotations.AgentLabel, "true")]);

        var (dataVolume, dataPath) = FindDataVolume(pod);
        var container = Container(pod, crName, resource, settings, dataVolume, dataPath);
        operations.Add(pod.HasInitContainers
            ? new JsonPatchOperation(JsonPatchOperation.Add, "/spec/initContainers/0", container)
            : new JsonPatchOperation(JsonPatchOperation.Add, "/spec/initContainers", new JsonArray(container)));

        JsonNode[] volumes =
        [
            new JsonObject { ["name"] = RepoVolume, ["emptyDir"] = new JsonObject { ["sizeLimit"] = settings.WorkVolumeSizeLimit } },
            new JsonObject { ["name"] = TmpVolume, ["emptyDir"] = new JsonObject { ["sizeLimit"] = settings.TmpVolumeSizeLimit } },
            new JsonObject
            {
                ["name"] = TokenVolume,
                ["projected"] = new JsonObject
                {
                    ["sources"] = new JsonArray(new JsonObject
                    {
                        ["serviceAccountToken"] = new JsonObject
                        {
                            ["audience"] = settings.TokenAudience,
                            ["expirationSeconds"] = settings.TokenExpirationSeconds,
                            ["path"] = AgentEnvironment.TokenFileName,
                        },
                    }),
                },
            },
        ];
        if (pod.HasVolumes)
        {
            operations.AddRange(volumes.Select(v => new JsonPatchOperation(JsonPatchOperation.Add, "/spec/volumes/-", v)));
        }
        else
        {
            operations.Add(new JsonPatchOperation(JsonPatchOperation.Add, "/spec/volumes", new JsonArray(volumes)));
        }

        return operations;
    }

    /// <summary><c>ignition-data</c>, then <c>data</c>: the first that exists, at the first regular container's mount path of it.</summary>
    public static (string? Volume, string Path) FindDataVolume(PodShape pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var name in DataVolumeNames)
        {
            if (pod.VolumeNames.Contains(name, StringComparer.Ordinal))
            {
                var mountPath = pod.ContainerMounts.Where(m => m.Volume == name).Select(m => m.MountPath).FirstOrDefault();
                return (name, mountPath ?? AgentEnvironment.DefaultDataPath);
            }
        }

        return (null, AgentEnvironment.DefaultDataPath);
    }

    private static JsonObject Container(PodShape pod, string crName, GatewaySync resource, AgentInjectionSettings settings, string? dataVolume, string dataPath)
    {
        var gateway = resource.Spec.Gateway;
        var env = new JsonArray(
            FieldRef(AgentEnvironment.PodName, "metadata.name"),
            FieldRef(AgentEnvironment.PodNamespace, "metadata.namespace"),
            Env(AgentEnvironment.CrName, crName),
            FieldRef(AgentEnvironment.CrNamespace, "metadata.namespace"),
            GatewayName(pod),
            Env(AgentEnvironment.Profile, pod.Annotation(Annotations.Profile)),
            Env(AgentEnvironment.RepoPath, AgentEnvironment.RepoMountPath),
            Env(AgentEnvironment.DataPath, dataPath),
            Env(AgentEnvironment.GatewayPort, gateway.Port.ToString(CultureInfo.InvariantCulture)),
            Env(AgentEnvironment.GatewayTls, gateway.Tls ? "true" : "false"),
            Env(AgentEnvironment.SyncPeriod, AgentEnvironment.SyncPeriodSeconds),
            Env(AgentEnvironment.SiloEndpoints, settings.SiloEndpoints),
            Env(AgentEnvironment.ClusterId, settings.ClusterId),
            Env(AgentEnvironment.ServiceId, settings.ServiceId),
            Env(AgentEnvironment.AgentTokenFile, AgentEnvironment.TokenFile),
            // The CA as text: the silo's secret lives in its own namespace, out of the gateway pod's reach.
            settings.SiloCa is { } ca ? Env(AgentEnvironment.SiloCa, ca) : Env(AgentEnvironment.SiloAllowInsecure, "true"));

        var mounts = new JsonArray(
            Mount(RepoVolume, AgentEnvironment.RepoMountPath, readOnly: false),
            Mount(TmpVolume, AgentEnvironment.TmpMountPath, readOnly: false),
            Mount(TokenVolume, AgentEnvironment.TokenMountPath, readOnly: true));
        if (dataVolume is not null)
        {
            mounts.Add(Mount(dataVolume, dataPath, readOnly: false));
        }

        return new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = ResolveImage(pod, resource, settings.DefaultImage),
            ["imagePullPolicy"] = resource.Spec.Agent?.Image?.PullPolicy is { Length: > 0 } policy ? policy : "IfNotPresent",
            // The image's entrypoint is the agent; "run" is its long-running command (deploy/agent.Dockerfile).
            ["args"] = new JsonArray("run"),
            ["restartPolicy"] = "Always",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "metrics", ["containerPort"] = AgentEnvironment.MetricsPort, ["protocol"] = "TCP" }),
            ["env"] = env,
            ["resources"] = Resources(resource),
            ["securityContext"] = new JsonObject
            {
                // No runAsUser: the agent inherits the pod's, so the files it writes belong to the gateway's user.
                ["runAsNonRoot"] = true,
                ["readOnlyRootFilesystem"] = true,
                ["allowPrivilegeEscalation"] = false,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
            ["startupProbe"] = Probe("/startupz", periodSeconds: 2, failureThreshold: 150),
            ["livenessProbe"] = Probe("/healthz", periodSeconds: 10, failureThreshold: 3),
            ["readinessProbe"] = Probe("/readyz", periodSeconds: 5, failureThreshold: 3),
            ["volumeMounts"] = mounts,
        };
    }

    private static JsonNode Resources(GatewaySync resource) => resource.Spec.Agent?.Resources is { } resources
        ? JsonSerializer.SerializeToNode(resources, ResourceJson.Options)!
        : new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
            ["limits"] = new JsonObject { ["cpu"] = "200m", ["memory"] = "256Mi" },
        };

    private static void AddToMap(List<JsonPatchOperation> operations, string path, bool exists, IReadOnlyList<(string Key, string Value)> entries)
    {
        if (exists)
        {
            operations.AddRange(entries.Select(e => new JsonPatchOperation(JsonPatchOperation.Add, path + "/" + JsonPatchOperation.Escape(e.Key), JsonValue.Create(e.Value))));
            return;
        }

        var map = new JsonObject();
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }

        operations.Add(new JsonPatchOperation(JsonPatchOperation.Add, path, map));
    }

    /// <summary>
    /// <c>GATEWAY_NAME</c> by the rule pod discovery names gateways with (<see cref="Kubernetes.PodGateway"/>): the
    /// annotation, else the <c>app.kubernetes.io/name</c> label, else the pod name, the last two through the downward
    /// API so the agent reads the pod's own values (a pod's name may only be generated after admission).
    /// </summary>
    private static JsonObject GatewayName(PodShape pod) =>
        pod.Annotation(Annotations.GatewayName) is { Length: > 0 } annotated ? Env(AgentEnvironment.GatewayName, annotated)
        : pod.Label(Kubernetes.PodGateway.NameLabel) is { Length: > 0 } ? FieldRef(AgentEnvironment.GatewayName, $"metadata.labels['{Kubernetes.PodGateway.NameLabel}']")
        : FieldRef(AgentEnvironment.GatewayName, "metadata.name");

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject FieldRef(string name, string fieldPath) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = fieldPath } },
    };

    private static JsonObject Mount(string name, string path, bool readOnly)
    {
        var mount = new JsonObject { ["name"] = name, ["mountPath"] = path };
        if (readOnly)
        {
            mount["readOnly"] = true;
        }

        return mount;
    }

    private static JsonObject Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = AgentEnvironment.HealthPort },
        ["periodSeconds"] = periodSeconds,
        ["failureThreshold"] = failureThreshold,
    };
}
