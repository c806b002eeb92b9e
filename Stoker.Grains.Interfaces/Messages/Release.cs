using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// What a GatewaySync publishes to its Gateway grains after each change (a new commit, a spec change, pausing, a ref
/// override resolved): everything every gateway's desired state is made of, computed once for all of them. Each
/// Gateway grain combines it with what it knows of its own pod and agent (docs/architecture.md, "Releases").
/// </summary>
/// <remarks>
/// <see cref="Version"/> comes from a counter kept in the GatewaySync's stored state: it only grows within an
/// <see cref="Epoch"/>, across silo restarts too, so desired-state versions derived from it do as well.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record Release
{
    [Id(0)] public long Version { get; init; }

    /// <summary>The GatewaySync state's epoch (<see cref="DesiredState.Epoch"/>).</summary>
    [Id(1)] public string Epoch { get; init; } = "";
    [Id(2)] public string GatewaySyncKey { get; init; } = "";
    [Id(3)] public string Namespace { get; init; } = "";
    [Id(4)] public string Name { get; init; } = "";
    [Id(5)] public long? Generation { get; init; }
    [Id(6)] public string RepoUrl { get; init; } = "";
    [Id(7)] public GitAuthSpec? GitAuth { get; init; }

    /// <summary>The effective ref (the webhook's requested ref, else <c>spec.git.ref</c>) and the commit it resolved to.</summary>
    [Id(8)] public string Ref { get; init; } = "";
    [Id(9)] public string Commit { get; init; } = "";
    [Id(10)] public GatewaySpec Gateway { get; init; } = new();

    /// <summary><c>spec.paused</c>: Gateway grains keep the desired state they have and push nothing new.</summary>
    [Id(11)] public bool Paused { get; init; }

    /// <summary>Every profile, merged with the defaults and written as canonical JSON once, by name.</summary>
    [Id(12)] public IReadOnlyDictionary<string, ReleaseProfile> Profiles { get; init; } = new Dictionary<string, ReleaseProfile>();

    /// <summary>What each <c>stoker.io/ref-override</c> in use resolved to in the same ls-remote as <see cref="Ref"/>.</summary>
    [Id(13)] public IReadOnlyDictionary<string, RefOverrideResolution> RefOverrides { get; init; } = new Dictionary<string, RefOverrideResolution>();

    /// <summary>
    /// The profile a gateway asking for <paramref name="requested"/> gets, chosen as <see cref="ProfileResolver.Select"/>
    /// chooses: <c>default</c> when it names none; a name the resource lacks is an error, never replaced by <c>default</c>.
    /// </summary>
    public (string Name, ReleaseProfile? Profile, string? Error) SelectProfile(string? requested)
    {
        var name = ProfileResolver.SelectedName(requested);
        return Profiles.TryGetValue(name, out var profile)
            ? (name, profile, null)
            : (name, null, ProfileResolver.NotFound(requested, Profiles.Keys));
    }

    // Records print every property by default, and RepoUrl may carry user:password@ (docs/security.md): a summary
    // with the URL's user-info hidden is what any log or exception message gets.
    public override string ToString() =>
        $"Release {{ Version = {Version}, Epoch = {Epoch}, GatewaySyncKey = {GatewaySyncKey}, RepoUrl = {Git.UrlUserInfo.Redact(RepoUrl)}, " +
        $"Ref = {Ref}, Commit = {Commit}, Paused = {Paused}, Profiles = {Profiles.Count} }}";
}
