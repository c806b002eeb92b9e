namespace Stoker.Grains.Interfaces.Messages;

/// <summary>What one <c>stoker.io/ref-override</c> resolved to: a commit, or why not.</summary>
[GenerateSerializer, Immutable]
public sealed record RefOverrideResolution
{
    [Id(0)] public string? Commit { get; init; }
    [Id(1)] public string? Error { get; init; }
}
