using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>The <c>GatewaySync</c> custom resource (<c>stoker.io/v1alpha1</c>), as <c>kubectl apply</c> takes it.</summary>
[GenerateSerializer, Immutable]
public sealed record GatewaySync
{
    public const string Group = "stoker.io";
    public const string Version = "v1alpha1";
    public const string ApiVersionValue = Group + "/" + Version;
    public const string KindValue = "GatewaySync";
    public const string Plural = "gatewaysyncs";

    [Id(0)] public string ApiVersion { get; init; } = ApiVersionValue;
    [Id(1)] public string Kind { get; init; } = KindValue;
    [Id(2)] public ObjectMeta Metadata { get; init; } = new();
    [Id(3), Required] public GatewaySyncSpec Spec { get; init; } = new();
    [Id(4)] public GatewaySyncStatus? Status { get; init; }

    /// <summary>The grain key and log identity: <c>{namespace}/{name}</c>.</summary>
    [JsonIgnore]
    public string Key => $"{Metadata.Namespace ?? ObjectMeta.DefaultNamespace}/{Metadata.Name}";
}
