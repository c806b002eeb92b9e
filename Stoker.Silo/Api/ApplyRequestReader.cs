using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api;

/// <summary>
/// Turns the body of a POST or PUT into a resource the grains can take, in the API server's order: decode (400),
/// one object (400), the URL and the body agree (400), schema and semantic rules with every violation (422).
/// </summary>
public static class ApplyRequestReader
{
    // The API server's generateName alphabet: no vowels (no words), no look-alike characters.
    private const string GeneratedNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <param name="text">The body, YAML or JSON.</param>
    /// <param name="urlNamespace">The namespace in the URL.</param>
    /// <param name="urlName">The name in the URL for a PUT; null for a POST to the collection.</param>
    public static ApplyRequest Read(string text, string urlNamespace, string? urlName)
    {
        var (body, error) = ReadObject(text, urlNamespace, urlName);
        if (error is not null)
        {
            return new ApplyRequest(null, error);
        }

        var parsed = GatewaySyncSerializer.FromNode(body!);
        var name = urlName ?? Text((body!["metadata"] as JsonObject)?["name"]);
        return parsed.IsValid ? new ApplyRequest(ForApply(parsed.Resource), null) : new ApplyRequest(null, ApiStatuses.Invalid(name, parsed.Violations));
    }

    /// <summary>
    /// The steps of <see cref="Read"/> before the schema: one object, the URL and the body agree, status dropped,
    /// namespace (and name of a PUT) filled in. The object is returned as sent otherwise, for the write routes that
    /// still need what the schema would refuse or drop (resourceVersion, unknown fields under fieldValidation).
    /// </summary>
    public static (JsonObject? Body, ApiStatus? Error) ReadObject(string text, string urlNamespace, string? urlName)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlJson.ReadAll(text);
        }
        catch (ResourceFormatException e)
        {
            return RefuseObject($"the request body is not valid YAML or JSON: {e.Message}", urlName);
        }

        if (documents.Count != 1)
        {
            return RefuseObject(documents.Count == 0
                ? "the request body is empty: send one GatewaySync"
                : $"the request body holds {documents.Count} documents: send one GatewaySync per request (stoker apply -f splits files)", urlName);
        }

        if (documents[0] is not JsonObject body)
        {
            return RefuseObject($"the request body must be an object, found {StructuralValidator.Render(documents[0])}", urlName);
        }

        if (body["kind"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String && kind.GetValue<string>().EndsWith("List", StringComparison.Ordinal))
        {
            return RefuseObject($"the request body is a {kind.GetValue<string>()}: send one GatewaySync per request (stoker apply -f splits lists)", urlName);
        }

        // The status is the server's; a resource read back with GET and sent again must not be refused for it.
        body.Remove("status");
        var metadata = body["metadata"] as JsonObject;
        if (metadata is null && body["metadata"] is null)
        {
            metadata = [];
            body["metadata"] = metadata;
        }

        if (metadata is not null)
        {
            if (Text(metadata["namespace"]) is { } bodyNamespace && bodyNamespace != urlNamespace)
            {
                return RefuseObject($"metadata.namespace \"{bodyNamespace}\" in the body does not match the namespace \"{urlNamespace}\" in the URL", urlName ?? Text(metadata["name"]));
            }

            metadata["namespace"] ??= urlNamespace;
            if (urlName is not null)
            {
                if (Text(metadata["name"]) is { } bodyName && bodyName != urlName)
                {
                    return RefuseObject($"metadata.name \"{bodyName}\" in the body does not match the name \"{urlName}\" in the URL", urlName);
                }

                metadata["name"] ??= urlName;
            }
            else if (metadata["name"] is null && Text(metadata["generateName"]) is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + RandomNumberGenerator.GetString(GeneratedNameAlphabet, 5);
            }
        }

        return (body, null);
    }

    /// <summary>
    /// Drops what the server owns (generation, uid, timestamps, resourceVersion, status): the grain assigns them,
    /// so a resource read back and applied again is the same resource, not a new generation.
    /// </summary>
    public static GatewaySync ForApply(GatewaySync resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource with
        {
            Status = null,
            Metadata = resource.Metadata with
            {
                Namespace = resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace,
                Generation = null,
                Uid = null,
                ResourceVersion = null,
                CreationTimestamp = null,
                DeletionTimestamp = null,
            },
        };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static (JsonObject? Body, ApiStatus? Error) RefuseObject(string message, string? name) => (null, ApiStatuses.BadRequest(message, name));
}
