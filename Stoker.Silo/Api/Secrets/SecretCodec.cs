using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api.Patching;

namespace Stoker.Silo.Api.Secrets;

/// <summary>
/// core/v1 Secrets to and from their wire shape: values base64 in <c>data</c>; <c>stringData</c> merged into
/// <c>data</c> on write and never returned; keys, size (1 MiB), types and unknown fields checked with every
/// violation reported at once, as the API server does.
/// </summary>
public static class SecretCodec
{
    public const string ApiVersion = "v1";
    public const string Kind = "Secret";
    public const string ListKind = "SecretList";

    private static readonly HashSet<string> TopLevelFields = ["apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"];

    private static readonly HashSet<string> MetadataFields =
        ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "labels", "annotations", "managedFields", "finalizers", "ownerReferences", "selfLink"];

    public static JsonObject ToNode(SecretObject secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var metadata = new JsonObject
        {
            ["name"] = secret.Name,
            ["namespace"] = secret.Namespace,
            ["uid"] = secret.Uid,
            ["resourceVersion"] = secret.ResourceVersion,
            ["creationTimestamp"] = secret.CreationTimestamp is { } created ? KubeTimeJsonConverter.ToKubeString(created) : null,
        };
        if (secret.Labels is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonSerializer.SerializeToNode(labels, ResourceJson.Options);
        }

        if (secret.Annotations is { Count: > 0 } annotations)
        {
            metadata["annotations"] = JsonSerializer.SerializeToNode(annotations, ResourceJson.Options);
        }

        if (secret.ManagedFields is { Count: > 0 } managed)
        {
            metadata["managedFields"] = JsonSerializer.SerializeToNode(managed, ResourceJson.Options);
        }

        foreach (var key in metadata.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            metadata.Remove(key);
        }

        var node = new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = Kind, ["metadata"] = metadata };
        if (secret.Data.Count > 0)
        {
            var data = new JsonObject();
            foreach (var (key, value) in secret.Data.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                data[key] = Convert.ToBase64String(value);
            }

            node["data"] = data;
        }

        if (secret.Immutable is { } immutable)
        {
            node["immutable"] = immutable;
        }

        node["type"] = secret.Type;
        return node;
    }

    /// <summary>
    /// Reads a Secret body for <paramref name="urlNamespace"/> (and the URL's name for PUT/PATCH). Server-owned
    /// metadata in the body (uid, resourceVersion, timestamps) is not taken; the caller fills it.
    /// </summary>
    public static SecretDecodeResult Decode(JsonObject body, string urlNamespace, string? urlName, FieldValidation mode)
    {
        ArgumentNullException.ThrowIfNull(body);
        var violations = new List<ResourceViolation>();
        var unknown = new List<string>();
        CheckConstant(body, "apiVersion", ApiVersion, violations);
        CheckConstant(body, "kind", Kind, violations);
        unknown.AddRange(body.Select(p => p.Key).Where(k => !TopLevelFields.Contains(k)));
        var metadata = body["metadata"] as JsonObject;
        if (body["metadata"] is not null and not JsonObject)
        {
            violations.Add(new("metadata", StructuralValidator.Render(body["metadata"]), "must be of type object"));
        }

        metadata ??= [];
        unknown.AddRange(metadata.Select(p => p.Key).Where(k => !MetadataFields.Contains(k)).Select(k => FieldPath.Child("metadata", k)));
        var name = Text(metadata["name"]) ?? urlName;
        if (urlName is not null && Text(metadata["name"]) is { } bodyName && bodyName != urlName)
        {
            return Refuse($"metadata.name \"{bodyName}\" in the body does not match the name \"{urlName}\" in the URL", urlName);
        }

        if (Text(metadata["namespace"]) is { } bodyNamespace && bodyNamespace != urlNamespace)
        {
            return Refuse($"metadata.namespace \"{bodyNamespace}\" in the body does not match the namespace \"{urlNamespace}\" in the URL", name);
        }

        if (name is null)
        {
            violations.Add(new("metadata.name", null, "Required value"));
        }
        else if (!KubernetesNames.IsDnsSubdomain(name, out var rule))
        {
            violations.Add(new("metadata.name", StructuralValidator.Render(JsonValue.Create(name)), rule));
        }

        var labels = StringMap(metadata["labels"], "metadata.labels", violations);
        var annotations = StringMap(metadata["annotations"], "metadata.annotations", violations);
        IReadOnlyList<ManagedFieldsEntry>? managed = null;
        if (metadata["managedFields"] is { } managedNode)
        {
            try
            {
                managed = managedNode.Deserialize<List<ManagedFieldsEntry>>(ResourceJson.Options);
            }
            catch (JsonException e)
            {
                violations.Add(new("metadata.managedFields", null, e.Message));
            }
        }

        var data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in StringMap(body["data"], "data", violations) ?? new Dictionary<string, string>())
        {
            var buffer = new byte[(value.Length * 3 / 4) + 3];
            if (!CheckKey(key, "data", violations))
            {
                continue;
            }

            if (Convert.TryFromBase64String(value, buffer, out var written))
            {
                data[key] = buffer[..written];
            }
            else
            {
                violations.Add(new(FieldPath.Child("data", key), null, "illegal base64 data"));
            }
        }

        foreach (var (key, value) in StringMap(body["stringData"], "stringData", violations) ?? new Dictionary<string, string>())
        {
            if (CheckKey(key, "stringData", violations))
            {
                data[key] = Encoding.UTF8.GetBytes(value);
            }
        }

        if (data.Count > SecretFolderStore.MaxKeys)
        {
            violations.Add(new("data", null, $"Too many: {data.Count}: must have at most {SecretFolderStore.MaxKeys} keys"));
        }

        var total = data.Values.Sum(v => (long)v.Length);
        if (total > SecretFolderStore.MaxDataBytes)
        {
            violations.Add(new("data", null, $"Too long: must have at most {SecretFolderStore.MaxDataBytes} bytes"));
        }

        var type = SecretObject.DefaultType;
        if (body["type"] is { } typeNode)
        {
            if (Text(typeNode) is { Length: > 0 } text)
            {
                type = text;
            }
            else
            {
                violations.Add(new("type", StructuralValidator.Render(typeNode), "must be a non-empty string"));
            }
        }

        bool? immutable = null;
        if (body["immutable"] is { } immutableNode)
        {
            if (immutableNode is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                immutable = b.GetValue<bool>();
            }
            else
            {
                violations.Add(new("immutable", StructuralValidator.Render(immutableNode), "must be of type boolean"));
            }
        }

        var warnings = new List<string>();
        if (unknown.Count > 0)
        {
            switch (mode)
            {
                case FieldValidation.Strict when violations.Count == 0:
                    return new SecretDecodeResult(null, [], WriteStatuses.StrictDecoding(name, unknown));
                case FieldValidation.Default or FieldValidation.Strict:
                    violations.AddRange(unknown.Select(f => new ResourceViolation(f, null, "unknown field \"" + f.Split('.')[^1] + "\"")));
                    break;
                case FieldValidation.Warn:
                    warnings.AddRange(unknown.Select(f => $"unknown field \"{f}\""));
                    break;
            }
        }

        if (violations.Count > 0)
        {
            return new SecretDecodeResult(null, warnings, SecretStatuses.Invalid(name, violations));
        }

        return new SecretDecodeResult(new SecretObject
        {
            Namespace = urlNamespace,
            Name = name!,
            Labels = labels,
            Annotations = annotations,
            ManagedFields = managed,
            Type = type,
            Immutable = immutable,
            Data = data,
        }, warnings, null);
    }

    private static bool CheckKey(string key, string field, List<ResourceViolation> violations)
    {
        if (SecretFolderStore.IsValidKey(key))
        {
            return true;
        }

        violations.Add(new(FieldPath.Child(field, key), StructuralValidator.Render(JsonValue.Create(key)),
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (not \".\" or \"..\"), at most 253 characters"));
        return false;
    }

    private static Dictionary<string, string>? StringMap(JsonNode? node, string field, List<ResourceViolation> violations)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            violations.Add(new(field, StructuralValidator.Render(node), "must be a map of strings"));
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (Text(value) is { } text)
            {
                map[key] = text;
            }
            else
            {
                violations.Add(new(FieldPath.Child(field, key), StructuralValidator.Render(value), "must be of type string"));
            }
        }

        return map;
    }

    private static void CheckConstant(JsonObject body, string field, string expected, List<ResourceViolation> violations)
    {
        if (body[field] is { } node && Text(node) != expected)
        {
            violations.Add(new(field, StructuralValidator.Render(node), $"must be \"{expected}\""));
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static SecretDecodeResult Refuse(string message, string? name) => new(null, [], ApiStatuses.BadRequest(message, name) with
    {
        Details = new ApiStatusDetails { Name = name, Group = "", Kind = SecretStatuses.Resource },
    });
}
