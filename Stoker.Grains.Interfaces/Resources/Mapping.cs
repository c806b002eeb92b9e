using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>One source (repository path) → destination (gateway data path) mapping.</summary>
[GenerateSerializer, Immutable]
public sealed record Mapping
{
    [Id(0), Required, MinLength(1)] public string Source { get; init; } = "";
    [Id(1), Required, MinLength(1)] public string Destination { get; init; } = "";
    [Id(2), AllowedValues(MappingType.Dir, MappingType.File)] public string? Type { get; init; }
    [Id(3)] public bool? Required { get; init; }
    [Id(4)] public bool? Template { get; init; }
    [Id(5)] public IReadOnlyList<JsonPatchSpec>? Patches { get; init; }
}
