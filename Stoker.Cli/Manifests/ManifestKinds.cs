using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Manifests;

/// <summary>
/// Sorts documents by kind, so a file holding a Secret and a GatewaySync (the pattern the original operator's docs
/// use) sends each where it belongs, and any other kind gets an error naming it and the supported ones.
/// </summary>
public static class ManifestKinds
{
    public const string Supported = "GatewaySync (stoker.io/v1alpha1), Secret (v1)";

    public static ManifestKind Classify(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var kind = Text(document["kind"]);
        var apiVersion = Text(document["apiVersion"]);
        return (kind, apiVersion) switch
        {
            ("Secret", "v1") => ManifestKind.Secret,
            (null, _) or (GatewaySync.KindValue, _) => ManifestKind.GatewaySync,
            _ => ManifestKind.Unsupported,
        };
    }

    /// <summary>The per-document error for a kind stoker does not send.</summary>
    public static string Unsupported(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var kind = Text(document.Node["kind"]) ?? "";
        var apiVersion = Text(document.Node["apiVersion"]) ?? "";
        return $"error: {document.Where}: kind \"{kind}\" (apiVersion \"{apiVersion}\") is not supported by stoker; supported: {Supported}";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
