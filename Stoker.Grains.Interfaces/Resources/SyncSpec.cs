using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record SyncSpec
{
    [Id(0)] public SyncDefaults? Defaults { get; init; }
    [Id(1), Required, MinLength(1)] public IReadOnlyDictionary<string, SyncProfile> Profiles { get; init; } = new Dictionary<string, SyncProfile>();
}
