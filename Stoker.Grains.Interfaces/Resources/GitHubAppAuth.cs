using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record GitHubAppAuth
{
    public const string DefaultApiBaseUrl = "https://api.github.com";

    [Id(0), Required] public long AppId { get; init; }
    [Id(1), Required] public long InstallationId { get; init; }
    [Id(2), Required] public SecretKeyRef PrivateKeySecretRef { get; init; } = new();

    [Id(3), JsonPropertyName("apiBaseURL")]
    public string? ApiBaseUrl { get; init; }
}
