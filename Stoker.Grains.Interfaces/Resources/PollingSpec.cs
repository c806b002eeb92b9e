namespace Stoker.Grains.Interfaces.Resources;

[GenerateSerializer, Immutable]
public sealed record PollingSpec
{
    public const string DefaultInterval = "60s";

    [Id(0)] public bool Enabled { get; init; } = true;
    [Id(1)] public string Interval { get; init; } = DefaultInterval;
}
