using System.ComponentModel.DataAnnotations;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>A Kubernetes <c>metav1.Condition</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record Condition
{
    [Id(0), Required] public string Type { get; init; } = "";
    [Id(1), Required, AllowedValues(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)] public string Status { get; init; } = ConditionStatus.Unknown;
    [Id(2), Range(typeof(long), "0", "9223372036854775807")] public long? ObservedGeneration { get; init; }
    [Id(3), Required] public DateTimeOffset LastTransitionTime { get; init; }
    [Id(4), Required, MinLength(1)] public string Reason { get; init; } = "";
    [Id(5), Required] public string Message { get; init; } = "";
}
