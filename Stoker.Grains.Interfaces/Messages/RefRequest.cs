namespace Stoker.Grains.Interfaces.Messages;

/// <summary>A "sync this ref now" request from the webhook receiver.</summary>
[GenerateSerializer, Immutable]
public sealed record RefRequest
{
    [Id(0)] public string Ref { get; init; } = "";

    /// <summary><c>github</c>, <c>argocd</c>, <c>kargo</c> or <c>generic</c> (the original's requested-by values).</summary>
    [Id(1)] public string Source { get; init; } = "generic";
    [Id(2)] public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The commit the payload says the ref points at (GitHub push <c>after</c>), when it says.</summary>
    [Id(3)] public string? Commit { get; init; }
}
