using System.Globalization;
using System.Text.Json.Nodes;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// A container's mounts laid out in a local folder as the kubelet lays them out: ConfigMap and Secret volumes as one
/// file per key (or per item path), projected volumes by item path, emptyDir and claims as empty folders. A reference
/// to a ConfigMap, Secret or key the manifests do not have fails here, unless the reference is optional.
/// </summary>
internal sealed class PodFileSystem
{
    private readonly List<Mount> _mounts;

    private PodFileSystem(List<Mount> mounts) => _mounts = mounts;

    public sealed record Mount(string MountPath, string HostPath, bool ReadOnly, string VolumeKind);

    public IReadOnlyList<Mount> Mounts => _mounts;

    public static PodFileSystem Materialize(ManifestSet set, Workload workload, JsonObject container, string root)
    {
        var volumes = workload.Volumes();
        var mounts = new List<Mount>();
        foreach (var mount in Workload.VolumeMounts(container))
        {
            var name = ManifestObject.Str(mount["name"])!;
            var mountPath = ManifestObject.Str(mount["mountPath"])!;
            if (mount["subPath"] is not null)
            {
                throw new NotSupportedException($"{workload.Owner.Where}: mount {name} uses subPath, which never sees ConfigMap or Secret updates");
            }

            if (!volumes.TryGetValue(name, out var volume))
            {
                throw new InvalidOperationException($"{workload.Owner.Where}: container {ManifestObject.Str(container["name"])} mounts volume {name}, which the pod does not declare");
            }

            var host = Path.Join(root, mountPath.TrimStart('/'));
            Directory.CreateDirectory(host);
            var kind = Fill(set, workload, volume, host);
            mounts.Add(new Mount(mountPath.TrimEnd('/'), host, mount["readOnly"] is JsonValue ro && ro.GetValue<bool>(), kind));
        }

        return new PodFileSystem(mounts);
    }

    /// <summary>The mount a container path lies under (the deepest one), or null: then it is on the image's own filesystem.</summary>
    public Mount? MountOf(string containerPath) =>
        _mounts.Where(m => containerPath == m.MountPath || containerPath.StartsWith(m.MountPath + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPath.Length)
            .FirstOrDefault();

    /// <summary>The local path of a container path under a mount; null when it is under none.</summary>
    public string? HostPath(string containerPath) =>
        MountOf(containerPath) is { } mount ? mount.HostPath + containerPath[mount.MountPath.Length..] : null;

    /// <summary>Environment values that are container paths under a mount, rewritten to their local paths.</summary>
    public Dictionary<string, string> MapPaths(IReadOnlyDictionary<string, string> environment) =>
        environment.ToDictionary(p => p.Key, p => p.Value.StartsWith('/') && HostPath(p.Value) is { } local ? local : p.Value, StringComparer.Ordinal);

    private static string Fill(ManifestSet set, Workload workload, JsonObject volume, string host)
    {
        var ns = workload.Namespace;
        var name = ManifestObject.Str(volume["name"]);
        if (volume["configMap"] is JsonObject configMap)
        {
            WriteEntries(set, "ConfigMap", ns, ManifestObject.Str(configMap["name"])!, configMap, host, $"volume {name}");
            return "configMap";
        }

        if (volume["secret"] is JsonObject secret)
        {
            WriteEntries(set, "Secret", ns, ManifestObject.Str(secret["secretName"])!, secret, host, $"volume {name}");
            return "secret";
        }

        if (volume["projected"] is JsonObject projected)
        {
            foreach (var source in ((JsonArray)projected["sources"]!).Cast<JsonObject>())
            {
                if (source["secret"] is JsonObject s)
                {
                    WriteEntries(set, "Secret", ns, ManifestObject.Str(s["name"])!, s, host, $"projected volume {name}");
                }
                else if (source["configMap"] is JsonObject c)
                {
                    WriteEntries(set, "ConfigMap", ns, ManifestObject.Str(c["name"])!, c, host, $"projected volume {name}");
                }
                else
                {
                    throw new NotSupportedException($"projected volume {name}: source {source.ToJsonString()} is not laid out by this test");
                }
            }

            return "projected";
        }

        if (volume["emptyDir"] is not null)
        {
            return "emptyDir";
        }

        if (volume["persistentVolumeClaim"] is not null)
        {
            return "persistentVolumeClaim";
        }

        throw new NotSupportedException($"volume {name}: {volume.ToJsonString()} is not laid out by this test");
    }

    private static void WriteEntries(ManifestSet set, string kind, string ns, string objectName, JsonObject reference, string host, string what)
    {
        var optional = reference["optional"] is JsonValue o && o.GetValue<bool>();
        var data = set.Data(kind, ns, objectName);
        if (data is null)
        {
            if (optional)
            {
                return;
            }

            throw new InvalidOperationException($"{what}: {kind} {ns}/{objectName} is not in the manifests");
        }

        IEnumerable<(string Key, string Path)> items = reference["items"] is JsonArray list
            ? list.Cast<JsonObject>().Select(i => (ManifestObject.Str(i["key"])!, ManifestObject.Str(i["path"])!))
            : data.Keys.Select(k => (k, k));
        foreach (var (key, relative) in items)
        {
            if (!data.TryGetValue(key, out var value))
            {
                if (optional)
                {
                    continue;
                }

                throw new InvalidOperationException($"{what}: {kind} {ns}/{objectName} has no key {key}");
            }

            var file = Path.Join(host, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, value);
        }
    }
}

/// <summary>A container's environment as the kubelet resolves it, with stand-ins for what only a running pod knows.</summary>
internal static class PodEnvironment
{
    /// <summary>The downward-API fields the manifests use, for a pod named <paramref name="podName"/> at <paramref name="podIp"/>.</summary>
    public static Dictionary<string, string> Fields(Workload workload, string podName, string podIp) => new(StringComparer.Ordinal)
    {
        ["metadata.name"] = podName,
        ["metadata.namespace"] = workload.Namespace,
        ["status.podIP"] = podIp,
    };

    public static Dictionary<string, string> Resolve(ManifestSet set, Workload workload, JsonObject container, IReadOnlyDictionary<string, string> fields)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container["env"] is JsonArray env ? env.Cast<JsonObject>() : [])
        {
            var name = ManifestObject.Str(variable["name"])!;
            if (variable["value"] is { } value)
            {
                environment[name] = ManifestObject.Str(value) ?? throw new InvalidOperationException(
                    $"{workload.Owner.Where}: env {name}: value {value.ToJsonString()} must be a string (quote numbers and booleans)");
            }
            else if (variable["valueFrom"]?["fieldRef"]?["fieldPath"] is { } field)
            {
                var path = ManifestObject.Str(field)!;
                environment[name] = fields.TryGetValue(path, out var fieldValue) ? fieldValue
                    : throw new InvalidOperationException($"{workload.Owner.Where}: env {name}: fieldRef {path} has no stand-in in this test");
            }
            else if (variable["valueFrom"]?["secretKeyRef"] is JsonObject secretRef)
            {
                environment[name] = KeyOf(set, "Secret", workload, secretRef, name);
            }
            else if (variable["valueFrom"]?["configMapKeyRef"] is JsonObject configMapRef)
            {
                environment[name] = KeyOf(set, "ConfigMap", workload, configMapRef, name);
            }
            else
            {
                throw new InvalidOperationException($"{workload.Owner.Where}: env {name}: {variable.ToJsonString()} is neither a value nor a reference this test resolves");
            }
        }

        return environment;
    }

    private static string KeyOf(ManifestSet set, string kind, Workload workload, JsonObject reference, string variable)
    {
        var objectName = ManifestObject.Str(reference["name"])!;
        var key = ManifestObject.Str(reference["key"])!;
        var data = set.Data(kind, workload.Namespace, objectName)
            ?? throw new InvalidOperationException($"{workload.Owner.Where}: env {variable}: {kind} {workload.Namespace}/{objectName} is not in the manifests");
        return data.TryGetValue(key, out var value) ? value
            : throw new InvalidOperationException($"{workload.Owner.Where}: env {variable}: {kind} {workload.Namespace}/{objectName} has no key {key}");
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
