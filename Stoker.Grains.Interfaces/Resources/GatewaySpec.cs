using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record GatewaySpec
{
    public const int DefaultPort = 8088;

    [Id(0)] public int Port { get; init; } = DefaultPort;
    [Id(1)] public bool Tls { get; init; }
    [Id(2), Required] public GatewayApiSpec Api { get; init; } = new();
}
