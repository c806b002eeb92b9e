using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>A key inside a Secret in the resource's own namespace.</summary>
[GenerateSerializer, Immutable]
public sealed record SecretKeyRef
{
    [Id(0), Required, MinLength(1)] public string Name { get; init; } = "";
    [Id(1), Required, MinLength(1)] public string Key { get; init; } = "";
}
