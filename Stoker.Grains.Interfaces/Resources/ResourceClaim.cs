using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record ResourceClaim
{
    [Id(0), Required] public string Name { get; init; } = "";
    [Id(1)] public string? Request { get; init; }
}
