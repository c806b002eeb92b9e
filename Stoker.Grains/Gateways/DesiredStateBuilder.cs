using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Grains.Gateways;

/// <summary>One gateway's desired state as a function of its GatewaySync's release and its own inputs.</summary>
public static class DesiredStateBuilder
{
    /// <summary>
    /// The state (version 0: the caller numbers it), a key of its content (equal keys: the agent would write the same
    /// files, so nothing is pushed), and why the gateway cannot follow its ref override, if so. Null while the
    /// gateway's override has not been looked up yet (the GatewaySync does, in its next ls-remote).
    /// </summary>
    /// <remarks>
    /// The pod name, ordinal and gateway name are not part of it: the agent fills them from its own settings
    /// (docs/templates.md). Labels are, because in Kubernetes only discovery knows the pod's labels.
    /// </remarks>
    public static (DesiredState State, string ContentKey, string? OverrideError)? Build(Release release, GatewayInputs inputs, string gatewayName)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(inputs);
        if (Ref(release, inputs.RefOverride) is not var (gatewayRef, commit, overrideError))
        {
            return null;
        }

        var (profileName, profile, profileError) = release.SelectProfile(inputs.Profile);
        if (overrideError is not null)
        {
            // Nothing to sync: the agent reports this as the gateway's error.
            (profile, profileError) = (null, overrideError);
        }

        var resolved = profile?.Profile;
        var state = new DesiredState
        {
            GatewaySyncKey = release.GatewaySyncKey,
            GatewayName = gatewayName,
            RepoUrl = release.RepoUrl,
            GitAuth = release.GitAuth,
            Ref = gatewayRef,
            Commit = commit,
            ProfileName = profileName,
            Profile = resolved,
            CanonicalProfile = profile?.Canonical ?? "",
            ProfileError = profileError,
            Template = new TemplateContext
            {
                GatewayName = gatewayName,
                Namespace = release.Namespace,
                Ref = gatewayRef,
                Commit = commit,
                CRName = release.Name,
                Labels = inputs.Labels,
                Vars = resolved?.Vars ?? new Dictionary<string, string>(),
            },
            Gateway = release.Gateway,
            Paused = resolved?.Paused == true,
            DryRun = resolved?.DryRun == true,
            Epoch = release.Epoch,
        };
        return (state, ContentKey(state), overrideError);
    }

    /// <summary>Everything in a state that changes what the agent does, as one string.</summary>
    public static string ContentKey(DesiredState state) => string.Join('\n',
        state.RepoUrl, state.Ref, state.Commit, state.ProfileName, state.CanonicalProfile, state.ProfileError ?? "",
        string.Join(',', state.Template.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
        state.Gateway.Port, state.Gateway.Tls, state.Gateway.Api.SecretName, state.Gateway.Api.SecretKey,
        state.GitAuth is null ? "" : System.Text.Json.JsonSerializer.Serialize(state.GitAuth, ResourceJson.Options),
        state.Paused, state.DryRun, state.Stopped, state.Epoch);

    /// <summary>The ref and commit a gateway follows: its override's when it has one, else the release's.</summary>
    private static (string Ref, string Commit, string? Error)? Ref(Release release, string? refOverride)
    {
        if (refOverride is not { } name)
        {
            return (release.Ref, release.Commit, null);
        }

        if (!GitRefFormat.IsValid(name, out var rule))
        {
            return (name, "", $"annotation {Annotations.RefOverride}: \"{name}\" is not a valid git ref: {rule}");
        }

        return release.RefOverrides.GetValueOrDefault(name) switch
        {
            { Commit: { Length: > 0 } overrideCommit } => (name, overrideCommit, null),
            { Error: { } error } => (name, "", error),
            _ => null,
        };
    }
}
