using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>
/// The GatewaySync CRD shipped in <c>k8s/crd/</c>, embedded in this assembly so that local mode validates and
/// defaults resources with the very schema the Kubernetes API server would use.
/// </summary>
public sealed class CrdSchema
{
    private const string ResourceName = "Stoker.Crd.gatewaysyncs.stoker.io.yaml";

    private static readonly Lazy<CrdSchema> Embedded = new(LoadEmbedded);

    public CrdSchema(JsonObject crd)
    {
        Crd = crd;
        var version = crd["spec"]?["versions"]?.AsArray()
            .FirstOrDefault(v => (string?)v?["name"] == Resources.GatewaySync.Version)
            ?? throw new InvalidOperationException($"the CRD has no version {Resources.GatewaySync.Version}");
        Version = version.AsObject();
        OpenApiV3Schema = version["schema"]?["openAPIV3Schema"]?.AsObject()
            ?? throw new InvalidOperationException("the CRD version has no openAPIV3Schema");
    }

    public static CrdSchema GatewaySync => Embedded.Value;

    public JsonObject Crd { get; }

    public JsonObject Version { get; }

    public JsonObject OpenApiV3Schema { get; }

    /// <summary>The CRD's YAML text, as shipped.</summary>
    public static string ReadEmbeddedText()
    {
        using var stream = typeof(CrdSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // Re-parsed from JSON text so schema numbers are JSON numbers that read as any numeric type
    // (YamlJson yields long-typed values, on which GetValue<int> throws).
    private static CrdSchema LoadEmbedded() => new(JsonNode.Parse(YamlJson.ReadOne(ReadEmbeddedText()).ToJsonString())!.AsObject());
}
