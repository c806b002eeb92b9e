using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Cli.Client;

/// <summary>Reads the server's JSON into the model. Fields this CLI does not know (a newer server) are skipped.</summary>
public static class ResourceNodes
{
    private static readonly JsonSerializerOptions Lenient = new(ResourceJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public static GatewaySync ToGatewaySync(JsonNode node) =>
        node.Deserialize<GatewaySync>(Lenient) ?? throw new JsonException("the server sent null for a GatewaySync");

    public static IReadOnlyList<JsonNode> Items(JsonNode? list) =>
        (list?["items"] as JsonArray)?.OfType<JsonNode>().ToList() ?? [];

    public static string? Name(JsonNode? resource) =>
        resource?["metadata"]?["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static string? Namespace(JsonNode? resource) =>
        resource?["metadata"]?["namespace"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
