using Stoker.Grains.Interfaces.Profiles;

namespace Stoker.Grains.Interfaces.Messages;

/// <summary>One profile of a <see cref="Release"/>: resolved, and its canonical JSON (the part of a gateway's content it decides).</summary>
[GenerateSerializer, Immutable]
public sealed record ReleaseProfile
{
    [Id(0)] public ResolvedProfile Profile { get; init; } = new();

    /// <summary><see cref="CanonicalProfileJson"/> text of <see cref="Profile"/>.</summary>
    [Id(1)] public string Canonical { get; init; } = "";
}
