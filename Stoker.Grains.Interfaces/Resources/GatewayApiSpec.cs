using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record GatewayApiSpec
{
    public const string DefaultSecretKey = "apiKey";

    [Id(0), Required, MinLength(1)] public string SecretName { get; init; } = "";
    [Id(1)] public string SecretKey { get; init; } = DefaultSecretKey;
}
