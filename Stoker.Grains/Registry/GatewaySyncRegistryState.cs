namespace Stoker.Grains.Registry;

[GenerateSerializer]
public sealed class GatewaySyncRegistryState
{
    [Id(0)] public SortedSet<string> Keys { get; set; } = new(StringComparer.Ordinal);
}
