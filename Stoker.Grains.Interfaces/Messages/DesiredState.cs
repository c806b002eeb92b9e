using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// What one gateway should hold. <see cref="Version"/> increases with every change for that gateway; agents
/// ignore a state older than the one they hold (one-way notifications can arrive out of order).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DesiredState
{
    [Id(0)] public long Version { get; init; }
    [Id(1)] public string GatewaySyncKey { get; init; } = "";
    [Id(2)] public string GatewayName { get; init; } = "";
    [Id(3)] public string RepoUrl { get; init; } = "";
    [Id(4)] public GitAuthSpec? GitAuth { get; init; }
    [Id(5)] public string Ref { get; init; } = "";
    [Id(6)] public string Commit { get; init; } = "";
    [Id(7)] public string ProfileName { get; init; } = "";

    /// <summary>The resolved profile; null when <see cref="ProfileError"/> says why none applies.</summary>
    [Id(8)] public ResolvedProfile? Profile { get; init; }

    /// <summary><see cref="CanonicalProfileJson"/> text of <see cref="Profile"/>: compare it to decide on a re-sync.</summary>
    [Id(9)] public string CanonicalProfile { get; init; } = "";

    [Id(10)] public string? ProfileError { get; init; }
    [Id(11)] public TemplateContext Template { get; init; } = new();
    [Id(12)] public GatewaySpec Gateway { get; init; } = new();
    [Id(13)] public bool Paused { get; init; }
    [Id(14)] public bool DryRun { get; init; }

    /// <summary>The GatewaySync was deleted: the agent stops syncing until a new state arrives.</summary>
    [Id(15)] public bool Stopped { get; init; }

    /// <summary>Whether two states would make the agent write the same files.</summary>
    public bool SameContentAs(DesiredState other) =>
        Commit == other.Commit && CanonicalProfile == other.CanonicalProfile && RepoUrl == other.RepoUrl
        && DryRun == other.DryRun && Template.GatewayName == other.Template.GatewayName;
}
