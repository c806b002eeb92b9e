using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Field patches applied to JSON files of a mapping; keys of <see cref="Set"/> are sjson paths.</summary>
[GenerateSerializer, Immutable]
public sealed record JsonPatchSpec
{
    [Id(0)] public string? File { get; init; }
    [Id(1), Required, MinLength(1)] public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();
}
