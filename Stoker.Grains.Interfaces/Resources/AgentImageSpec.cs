namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record AgentImageSpec
{
    [Id(0)] public string? Repository { get; init; }
    [Id(1)] public string? Tag { get; init; }
    [Id(2)] public string? PullPolicy { get; init; }
}
