namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record AgentSpec
{
    [Id(0)] public AgentImageSpec? Image { get; init; }
    [Id(1)] public ResourceRequirements? Resources { get; init; }
}
