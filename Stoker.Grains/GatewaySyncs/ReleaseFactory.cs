using System.Security.Cryptography;
using System.Text;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>A GatewaySync's release as a function of the resource and what its ref (and overrides) resolved to.</summary>
public static class ReleaseFactory
{
    /// <summary>
    /// The release (version 0: the grain numbers it) and a digest of its content. Profiles are resolved and written
    /// as canonical JSON here, once for all gateways.
    /// </summary>
    public static (Release Release, string Digest) Create(
        GatewaySync resource, string resolvedRef, string commit, IReadOnlyDictionary<string, RefOverrideResolution> overrides, string epoch)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var (ns, name) = (resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, resource.Metadata.Name ?? "");
        var profiles = ProfileResolver.ResolveAll(resource.Spec.Sync)
            .ToDictionary(p => p.Key, p => new ReleaseProfile { Profile = p.Value, Canonical = CanonicalProfileJson.Write(p.Value) }, StringComparer.Ordinal);
        var release = new Release
        {
            Epoch = epoch,
            GatewaySyncKey = resource.Key,
            Namespace = ns,
            Name = name,
            Generation = resource.Metadata.Generation,
            RepoUrl = resource.Spec.Git.Repo,
            GitAuth = resource.Spec.Git.Auth,
            Ref = resolvedRef,
            Commit = commit,
            Gateway = resource.Spec.Gateway,
            Paused = resource.Spec.Paused == true,
            Profiles = profiles,
            RefOverrides = new Dictionary<string, RefOverrideResolution>(overrides, StringComparer.Ordinal),
        };

        // The spec as JSON covers repo, auth, gateway, paused and profiles; the generation is left out on purpose
        // (a re-applied identical spec publishes nothing).
        var text = string.Join('\n',
            GatewaySyncSerializer.ToJson(resource with { Metadata = new(), Status = null }), ns, name, resolvedRef, commit, epoch,
            string.Join(',', overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value.Commit}|{o.Value.Error}")));
        return (release, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }
}
