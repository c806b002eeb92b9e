namespace Stoker.Grains.Interfaces.Profiles;

/// <summary>The profile chosen for a gateway, or why none could be.</summary>
[GenerateSerializer, Immutable]
public sealed record ProfileSelection(
    [property: Id(0)] string? Name,
    [property: Id(1)] ResolvedProfile? Profile,
    [property: Id(2)] string? Error)
{
    public bool Succeeded => Profile is not null;
}
