namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Kubernetes core/v1 <c>ResourceRequirements</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ResourceRequirements
{
    [Id(0)] public IReadOnlyDictionary<string, Quantity>? Limits { get; init; }
    [Id(1)] public IReadOnlyDictionary<string, Quantity>? Requests { get; init; }
    [Id(2)] public IReadOnlyList<ResourceClaim>? Claims { get; init; }
}
