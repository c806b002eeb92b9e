namespace Stoker.Grains.Interfaces.Messages;

/// <summary>A gateway the control plane learned of before (or without) its agent registering: from pod discovery.</summary>
[GenerateSerializer, Immutable]
public sealed record ExpectedGateway
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Namespace { get; init; } = "";
    [Id(2)] public string PodName { get; init; } = "";
    [Id(3)] public string? ServiceAccountName { get; init; }
    [Id(4)] public string? Profile { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [Id(6)] public bool MissingSidecar { get; init; }

    /// <summary>The pod's <c>stoker.io/ref-override</c>: a git ref this gateway follows instead of <c>spec.git.ref</c>; null or empty for none.</summary>
    [Id(7)] public string? RefOverride { get; init; }
}
