using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// What one gateway should hold. <see cref="Version"/> increases with every change for that gateway within an
/// <see cref="Epoch"/>; agents ignore a state of their epoch that is not newer than the one they hold (one-way
/// notifications can arrive out of order), and take any state of another epoch (<see cref="Supersedes"/>).
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

    /// <summary>
    /// Which run of version numbers <see cref="Version"/> belongs to: a random id chosen when the GatewaySync's state
    /// is created and stored with it. A silo that lost its state (in-memory mode, killed) counts from 1 again under
    /// a new epoch, so an agent holding version 3 of the old epoch still takes version 1 of the new one.
    /// </summary>
    [Id(16)] public string Epoch { get; init; } = "";

    /// <summary>Whether this state replaces <paramref name="held"/>: none held, another epoch, or a newer version of the same one.</summary>
    public bool Supersedes(DesiredState? held) =>
        held is null || !string.Equals(Epoch, held.Epoch, StringComparison.Ordinal) || Version > held.Version;

    /// <summary>Whether two states would make the agent write the same files.</summary>
    public bool SameContentAs(DesiredState other) =>
        Commit == other.Commit && CanonicalProfile == other.CanonicalProfile && RepoUrl == other.RepoUrl
        && DryRun == other.DryRun && Template.GatewayName == other.Template.GatewayName;

    // Records print every property by default: the repository URL may carry user-info (a credential).
    public override string ToString() =>
        $"DesiredState {{ Version = {Version}, Epoch = {Epoch}, GatewaySyncKey = {GatewaySyncKey}, GatewayName = {GatewayName}, " +
        $"RepoUrl = {Git.UrlUserInfo.Redact(RepoUrl)}, Ref = {Ref}, Commit = {Commit}, ProfileName = {ProfileName}, Paused = {Paused}, DryRun = {DryRun}, Stopped = {Stopped} }}";
}
