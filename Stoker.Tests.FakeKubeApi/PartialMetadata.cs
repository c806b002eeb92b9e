using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// Metadata-only answers (<c>Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1</c> for lists,
/// <c>as=PartialObjectMetadata</c> for a get or a watch), as client-go's metadata informers ask for them: each object
/// is reduced to its kind, apiVersion and metadata, so a watcher of Secrets never receives their data.
/// </summary>
public static class PartialMetadata
{
    public const string ApiVersion = "meta.k8s.io/v1";

    public static bool Wanted(string? accept) =>
        accept is not null && accept.Split(',')[0].Contains("as=PartialObjectMetadata", StringComparison.Ordinal);

    public static JsonObject Of(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = ApiVersion, ["metadata"] = obj["metadata"]?.DeepClone() };
    }

    public static JsonObject List(IEnumerable<JsonObject> items, string resourceVersion) => new()
    {
        ["kind"] = "PartialObjectMetadataList",
        ["apiVersion"] = ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["items"] = new JsonArray(items.Select(i => (JsonNode?)Of(i)).ToArray()),
    };

    /// <summary>A watch event's object reduced the same way; ERROR events carry a Status and stay as they are.</summary>
    public static JsonObject Event(JsonObject watchEvent)
    {
        ArgumentNullException.ThrowIfNull(watchEvent);
        return watchEvent["type"]?.GetValue<string>() == "ERROR" || watchEvent["object"] is not JsonObject obj
            ? watchEvent
            : new JsonObject { ["type"] = watchEvent["type"]?.DeepClone(), ["object"] = Of(obj) };
    }
}
