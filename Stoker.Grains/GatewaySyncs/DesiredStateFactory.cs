using System.Security.Cryptography;
using System.Text;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>Computes one gateway's desired state from the resource, the resolved commit and the roster entry.</summary>
public static class DesiredStateFactory
{
    public static DesiredState Create(GatewaySync resource, string @ref, string commit, RosterEntry gateway) =>
        Create(resource, @ref, commit, gateway, new ProfileCache(resource));

    /// <summary>As above, with the profiles resolved once per resource: a fan-out to thousands of gateways shares them.</summary>
    public static DesiredState Create(GatewaySync resource, string @ref, string commit, RosterEntry gateway, ProfileCache profiles)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(profiles);
        var (ns, name) = (resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, resource.Metadata.Name ?? "");
        var (selection, canonical) = profiles.Select(gateway.Profile);
        var profile = selection.Profile;
        return new DesiredState
        {
            GatewaySyncKey = resource.Key,
            GatewayName = gateway.Name,
            RepoUrl = resource.Spec.Git.Repo,
            GitAuth = resource.Spec.Git.Auth,
            Ref = @ref,
            Commit = commit,
            ProfileName = selection.Name ?? "",
            Profile = profile,
            CanonicalProfile = canonical,
            ProfileError = selection.Error,
            Template = new TemplateContext
            {
                GatewayName = gateway.Name,
                PodName = gateway.PodName,
                PodOrdinal = TemplateContext.OrdinalOf(gateway.PodName, gateway.Labels),
                Namespace = ns,
                Ref = @ref,
                Commit = commit,
                CRName = name,
                Labels = gateway.Labels,
                Vars = profile?.Vars ?? new Dictionary<string, string>(),
            },
            Gateway = resource.Spec.Gateway,
            Paused = resource.Spec.Paused == true || profile?.Paused == true,
            DryRun = profile?.DryRun == true,
        };
    }

    /// <summary>A digest of everything in the state except its version: equal digests need no new push.</summary>
    public static string Fingerprint(DesiredState state)
    {
        var text = string.Join('\n',
            state.RepoUrl, state.Ref, state.Commit, state.ProfileName, state.CanonicalProfile, state.ProfileError ?? "",
            state.Template.PodName, string.Join(',', state.Template.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
            state.Gateway.Port, state.Gateway.Tls, state.Gateway.Api.SecretName, state.Gateway.Api.SecretKey,
            state.GitAuth is null ? "" : System.Text.Json.JsonSerializer.Serialize(state.GitAuth, Interfaces.Serialization.ResourceJson.Options),
            state.Paused, state.DryRun, state.Stopped);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>
/// The profile selections of one resource, each resolved (and written as canonical JSON) once. Resources are
/// immutable records, so a cache made for one instance stays right for as long as that instance is the resource.
/// </summary>
public sealed class ProfileCache(GatewaySync resource)
{
    private readonly Dictionary<string, (ProfileSelection Selection, string Canonical)> _byRequest = new(StringComparer.Ordinal);

    public GatewaySync Resource { get; } = resource;

    public (ProfileSelection Selection, string Canonical) Select(string? requested)
    {
        var key = requested ?? "";
        if (!_byRequest.TryGetValue(key, out var found))
        {
            var selection = ProfileResolver.Select(Resource.Spec.Sync, requested);
            found = (selection, selection.Profile is { } profile ? CanonicalProfileJson.Write(profile) : "");
            _byRequest[key] = found;
        }

        return found;
    }
}
