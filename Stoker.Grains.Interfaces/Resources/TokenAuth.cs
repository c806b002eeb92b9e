using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record TokenAuth
{
    [Id(0), Required] public SecretKeyRef SecretRef { get; init; } = new();
}
