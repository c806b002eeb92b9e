using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Silo.Admission;

/// <summary>
/// What injection reads of a pod, decoded from the raw object: annotations, which lists exist, init container names,
/// volume names and the regular containers' mounts in order. Everything else of the pod is left as sent.
/// </summary>
public sealed record PodShape(
    IReadOnlyDictionary<string, string> Annotations,
    bool HasAnnotations,
    bool HasLabels,
    bool HasInitContainers,
    IReadOnlyList<string> InitContainerNames,
    bool HasVolumes,
    IReadOnlyList<string> VolumeNames,
    IReadOnlyList<(string Volume, string MountPath)> ContainerMounts)
{
    /// <summary>The pod's labels (for the gateway name, <see cref="Kubernetes.PodGateway"/>); empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string Annotation(string key) => Annotations.TryGetValue(key, out var value) ? value : "";

    /// <summary>Decodes a pod; a malformed one yields null and a message naming the field.</summary>
    public static PodShape? TryRead(JsonNode? node, out string error)
    {
        error = "";
        try
        {
            return Read(node);
        }
        catch (PodFormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static PodShape Read(JsonNode? node)
    {
        if (node is not JsonObject pod)
        {
            throw new PodFormatException("object: must be a Pod (a JSON object)");
        }

        var metadata = OptionalObject(pod, "metadata", "metadata");
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        var annotationsNode = metadata is null ? null : OptionalObject(metadata, "annotations", "metadata.annotations");
        foreach (var (key, value) in annotationsNode ?? [])
        {
            annotations[key] = StringValue(value, $"metadata.annotations[\"{key}\"]");
        }

        var labels = metadata is null ? null : OptionalObject(metadata, "labels", "metadata.labels");
        var labelValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? [])
        {
            labelValues[key] = StringValue(value, $"metadata.labels[\"{key}\"]");
        }

        var spec = OptionalObject(pod, "spec", "spec") ?? throw new PodFormatException("spec: Required value");
        var initContainers = OptionalArray(spec, "initContainers", "spec.initContainers");
        var containers = OptionalArray(spec, "containers", "spec.containers");
        var volumes = OptionalArray(spec, "volumes", "spec.volumes");

        var initNames = Items(initContainers, "spec.initContainers").Select(c => Name(c.Item, c.Path)).ToList();
        var volumeNames = Items(volumes, "spec.volumes").Select(v => Name(v.Item, v.Path)).ToList();
        var mounts = new List<(string, string)>();
        foreach (var (container, path) in Items(containers, "spec.containers"))
        {
            foreach (var (mount, mountPath) in Items(OptionalArray(container, "volumeMounts", path + ".volumeMounts"), path + ".volumeMounts"))
            {
                mounts.Add((Name(mount, mountPath), StringValue(mount["mountPath"], mountPath + ".mountPath")));
            }
        }

        return new PodShape(annotations, annotationsNode is not null, labels is not null, initContainers is not null, initNames,
            volumes is not null, volumeNames, mounts) { Labels = labelValues };
    }

    private static IEnumerable<(JsonObject Item, string Path)> Items(JsonArray? array, string path) =>
        (array ?? []).Select((item, i) => (item as JsonObject ?? throw new PodFormatException($"{path}[{i}]: must be an object"), $"{path}[{i}]"));

    private static string Name(JsonObject item, string path) => StringValue(item["name"], path + ".name");

    private static JsonObject? OptionalObject(JsonObject parent, string key, string path) => parent[key] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw new PodFormatException($"{path}: must be an object"),
    };

    private static JsonArray? OptionalArray(JsonObject parent, string key, string path) => parent[key] switch
    {
        null => null,
        JsonArray a => a,
        _ => throw new PodFormatException($"{path}: must be an array"),
    };

    private static string StringValue(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new PodFormatException($"{path}: must be a string");
}
