using Stoker.Grains.Conditions;
using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Grains.Scheduling;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// The reconcile's decisions as plain functions of (status, inputs, now): the grain does the I/O (ls-remote, Secret
/// look-ups, storage, reminders) and applies what these return (docs/architecture.md, "The control plane").
/// </summary>
public static class ReconcileSteps
{
    /// <summary>The <c>ProfilesValid</c> condition, and the violations joined into one message (null when valid).</summary>
    public static (GatewaySyncStatus Status, string? Error) ValidateProfiles(GatewaySyncStatus status, GatewaySync resource, DateTimeOffset now)
    {
        var generation = resource.Metadata.Generation;
        var violations = GatewaySyncValidator.Validate(resource);
        var error = string.Join("; ", violations.Select(v => v.ToString()));
        var conditions = violations.Count == 0
            ? ConditionSet.Set(status.Conditions, ConditionTypes.ProfilesValid, ConditionStatus.True, ConditionReasons.ProfilesValid, "All profiles valid", generation, now)
            : ConditionSet.Set(status.Conditions, ConditionTypes.ProfilesValid, ConditionStatus.False, ConditionReasons.ProfilesInvalid, error, generation, now);
        return (status with { Conditions = conditions }, violations.Count == 0 ? null : error);
    }

    /// <summary>The <c>SSHHostKeyVerification</c> condition, set only for SSH auth: whether known hosts are given.</summary>
    public static GatewaySyncStatus HostKeyCondition(GatewaySyncStatus status, GitAuthSpec? auth, long? generation, DateTimeOffset now) =>
        auth?.SshKey is not { } ssh
            ? status
            : status with
            {
                Conditions = ssh.KnownHosts is not null
                    ? ConditionSet.Set(status.Conditions, ConditionTypes.SSHHostKeyVerification, ConditionStatus.True, ConditionReasons.HostKeyVerificationEnabled,
                        "SSH host key verification enabled", generation, now)
                    : ConditionSet.Set(status.Conditions, ConditionTypes.SSHHostKeyVerification, ConditionStatus.False, ConditionReasons.HostKeyVerificationDisabled,
                        "SSH host key verification disabled \u2014 set spec.git.auth.sshKey.knownHosts to enable MITM protection", generation, now),
            };

    /// <summary>The Secrets git auth names, with what each holds (for the "not found" message).</summary>
    public static IReadOnlyList<(string What, string Name)> GitSecretNames(GitAuthSpec? auth) =>
    [
        .. auth?.SshKey is { } ssh ? [("SSH key", ssh.SecretRef.Name)] : Array.Empty<(string, string)>(),
        .. auth?.Token is { } token ? [("token", token.SecretRef.Name)] : Array.Empty<(string, string)>(),
        .. auth?.GithubApp is { } app ? [("GitHub App private key", app.PrivateKeySecretRef.Name)] : Array.Empty<(string, string)>(),
    ];

    /// <summary>Every Secret the resource names: its git auth's (known_hosts included) and the gateway API key's.</summary>
    public static bool NamesSecret(GatewaySync resource, string name)
    {
        // Names, not values: an ordinal comparison is right here.
        var auth = resource.Spec.Git.Auth;
        string?[] named = [.. GitSecretNames(auth).Select(s => s.Name), auth?.SshKey?.KnownHosts?.SecretRef.Name, resource.Spec.Gateway.Api.SecretName];
        return named.Contains(name, StringComparer.Ordinal);
    }

    public static string SecretNotFound(string what, string name, string? @namespace) => $"{what} secret \"{name}\" not found in namespace \"{@namespace}\"";

    /// <summary>The ref to resolve: the webhook's requested ref while there is one, else <c>spec.git.ref</c>.</summary>
    public static string EffectiveRef(RefRequest? requested, GatewaySync resource) =>
        requested?.Ref is { Length: > 0 } name ? name : resource.Spec.Git.Ref;

    /// <summary>The condition reason of a failed resolution: the GitHub App exchange's own, or the general one.</summary>
    public static string RefFailureReason(GitAuthSpec? auth, string message) =>
        auth?.GithubApp is not null && message.Contains("GitHub App", StringComparison.Ordinal)
            ? ConditionReasons.GitHubAppExchangeFailed
            : ConditionReasons.RefResolutionFailed;

    /// <summary>
    /// The status after the ref resolved: <c>RefResolved</c> True with the commit, and the last-sync fields moved
    /// only when the commit is new (so a poll that finds nothing new keeps the time of the last change).
    /// </summary>
    public static (GatewaySyncStatus Status, bool NewCommit) Resolved(GatewaySyncStatus status, string @ref, string commit, long? generation, DateTimeOffset now)
    {
        status = status with
        {
            RefResolutionStatus = RefResolutionStatus.Resolved,
            Conditions = ConditionSet.Set(status.Conditions, ConditionTypes.RefResolved, ConditionStatus.True, ConditionReasons.RefResolved, commit, generation, now),
        };
        if (status.LastSyncCommit == commit)
        {
            return (status, false);
        }

        return (status with
        {
            LastSyncCommit = commit,
            LastSyncCommitShort = commit.Length > 7 ? commit[..7] : commit,
            LastSyncRef = @ref,
            LastSyncTime = KubeTimeJsonConverter.Truncate(now),
        }, true);
    }

    /// <summary>
    /// The status after the <paramref name="failures"/>-th consecutive failure of one operation, and when to retry:
    /// a ref failure shows on <c>RefResolved</c>, any other on <c>Ready</c>, both with the retry delay.
    /// </summary>
    public static (GatewaySyncStatus Status, TimeSpan Delay) Failed(
        GatewaySyncStatus status, int failures, string error, bool isRefFailure, string reason, long? generation, DateTimeOffset now)
    {
        var delay = BackoffSchedule.Delay(failures);
        var retry = GoDuration.Format(delay);
        return (isRefFailure
            ? status with
            {
                RefResolutionStatus = RefResolutionStatus.Error,
                Conditions = ConditionSet.Set(status.Conditions, ConditionTypes.RefResolved, ConditionStatus.False, reason, $"Ref resolution failed (retry in {retry}): {error}", generation, now),
            }
            : status with
            {
                Conditions = ConditionSet.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Reconciling, $"{error} (retry in {retry})", generation, now),
            }, delay);
    }

    /// <summary>Whether the webhook's requested ref can be dropped: <c>spec.git.ref</c> names the same thing (docs/webhooks.md).</summary>
    public static bool RequestCaughtUp(RefRequest? requested, GatewaySync resource) =>
        requested is { } request && PollingPolicy.SameRefIgnoringV(ShortRef(request.Ref), ShortRef(resource.Spec.Git.Ref));

    /// <summary>What each override asked for resolved to in the listing; an override the remote lacks gets its error.</summary>
    public static Dictionary<string, RefOverrideResolution> OverrideResolutions(IReadOnlyList<string> asked, IReadOnlyDictionary<string, string?> listed, string repoUrl) =>
        asked.ToDictionary(
            name => name,
            name => listed.GetValueOrDefault(name) is { Length: > 0 } commit
                ? new RefOverrideResolution { Commit = commit }
                : new RefOverrideResolution { Error = $"annotation {Annotations.RefOverride}: ref \"{name}\" not found in remote {UrlRedactor.Redact(repoUrl)}" },
            StringComparer.Ordinal);

    private static string ShortRef(string name) =>
        name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..]
        : name.StartsWith("refs/tags/", StringComparison.Ordinal) ? name["refs/tags/".Length..]
        : name;
}
