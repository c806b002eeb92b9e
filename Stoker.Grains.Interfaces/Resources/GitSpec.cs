using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record GitSpec
{
    [Id(0), Required, MinLength(1)] public string Repo { get; init; } = "";
    [Id(1), Required] public string Ref { get; init; } = "";
    [Id(2)] public GitAuthSpec? Auth { get; init; }
}
