using Stoker.Grains.Conditions;
using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Grains.Metrics;
using Stoker.Grains.Scheduling;
using Stoker.Grains.Secrets;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>The reconcile pass: an ordered list of small steps (docs/architecture.md).</summary>
public sealed partial class GatewaySyncGrain
{
    private async Task ReconcileAsync(string reason)
    {
        if (S.Resource is not { } resource)
        {
            return;
        }

        var (name, ns) = (resource.Metadata.Name ?? "", resource.Metadata.Namespace ?? "");
        var started = time.GetTimestamp();
        var before = S.Status;
        var result = await ReconcileStepsAsync(resource, reason);
        EmitTransitions(before);
        EmitMissingSidecars();
        ControllerMetrics.ReconcileDuration.WithLabels(name, ns).Observe(time.GetElapsedTime(started).TotalSeconds);
        ControllerMetrics.ReconcileTotal.WithLabels(name, ns, result).Inc();
        ControllerMetrics.Publish(resource, S.Status);
        if (View() is { } stored)
        {
            statusSink.StatusChanged(stored);
        }
    }

    /// <summary>Returns the original's <c>result</c> label: <c>success</c>, or <c>requeue</c> after a transient failure.</summary>
    private async Task<string> ReconcileStepsAsync(GatewaySync resource, string reason)
    {
        LogReconcile(logger, this.GetPrimaryKeyString(), reason);
        var generation = resource.Metadata.Generation;
        ValidateProfiles(resource, generation);
        SetHostKeyCondition(resource.Spec.Git.Auth, generation);

        if (await CheckSecretsAsync(resource, ReconcileOperation.GitCredentials, GitSecretNames(resource.Spec.Git.Auth)) is { } credentialError)
        {
            await FailAsync(ReconcileOperation.GitCredentials, credentialError, generation, isRefFailure: false);
            return "requeue";
        }

        var resolveStarted = time.GetTimestamp();
        var resolution = await ResolveRefAsync(resource, generation);
        ControllerMetrics.RefResolveDuration.WithLabels(resource.Metadata.Name ?? "", resource.Metadata.Namespace ?? "").Observe(time.GetElapsedTime(resolveStarted).TotalSeconds);
        if (resolution is null)
        {
            return "requeue";
        }

        if (await CheckSecretsAsync(resource, ReconcileOperation.ApiKeySecret, [("gateway API key", resource.Spec.Gateway.Api.SecretName)]) is { } apiKeyError)
        {
            await FailAsync(ReconcileOperation.ApiKeySecret, apiKeyError, generation, isRefFailure: false);
            return "requeue";
        }

        ClearCaughtUpRequest(resource);
        var published = NextRelease(resource, resolution);
        S.Status = StatusAggregator.Aggregate(S.Status, S.Roster.Values, resource.Spec.Paused == true, generation, time.GetUtcNow(), resource.Metadata.Namespace ?? "") with
        {
            ObservedGeneration = generation,
            ProfileCount = resource.Spec.Sync.Profiles.Count,
        };
        S.LastError = null;

        // Stored before it is sent: a Gateway grain that gets it can count on getting it again after a restart.
        await state.WriteStateAsync();
        if (published is not null)
        {
            Publish(published);
        }

        await ScheduleRetryAsync(null);
        await SchedulePollingAsync(PollingPolicy.Interval(resource.Spec.Polling));
        return "success";
    }

    private void ValidateProfiles(GatewaySync resource, long? generation)
    {
        var violations = GatewaySyncValidator.Validate(resource);
        var error = string.Join("; ", violations.Select(v => v.ToString()));
        if (violations.Count > 0)
        {
            Emit(Events.GatewaySyncEvents.ProfilesInvalid(error));
        }

        S.Status = S.Status with
        {
            Conditions = violations.Count == 0
                ? ConditionSet.Set(S.Status.Conditions, ConditionTypes.ProfilesValid, ConditionStatus.True, ConditionReasons.ProfilesValid, "All profiles valid", generation, time.GetUtcNow())
                : ConditionSet.Set(S.Status.Conditions, ConditionTypes.ProfilesValid, ConditionStatus.False, ConditionReasons.ProfilesInvalid, error, generation, time.GetUtcNow()),
        };
    }

    private void SetHostKeyCondition(GitAuthSpec? auth, long? generation)
    {
        if (auth?.SshKey is not { } ssh)
        {
            return;
        }

        S.Status = S.Status with
        {
            Conditions = ssh.KnownHosts is not null
                ? ConditionSet.Set(S.Status.Conditions, ConditionTypes.SSHHostKeyVerification, ConditionStatus.True, ConditionReasons.HostKeyVerificationEnabled,
                    "SSH host key verification enabled", generation, time.GetUtcNow())
                : ConditionSet.Set(S.Status.Conditions, ConditionTypes.SSHHostKeyVerification, ConditionStatus.False, ConditionReasons.HostKeyVerificationDisabled,
                    "SSH host key verification disabled \u2014 set spec.git.auth.sshKey.knownHosts to enable MITM protection", generation, time.GetUtcNow()),
        };
    }

    private static List<(string What, string Name)> GitSecretNames(GitAuthSpec? auth) =>
    [
        .. auth?.SshKey is { } ssh ? [("SSH key", ssh.SecretRef.Name)] : Array.Empty<(string, string)>(),
        .. auth?.Token is { } token ? [("token", token.SecretRef.Name)] : Array.Empty<(string, string)>(),
        .. auth?.GithubApp is { } app ? [("GitHub App private key", app.PrivateKeySecretRef.Name)] : Array.Empty<(string, string)>(),
    ];

    /// <summary>The original's steps 2 and 3.5: every named Secret must exist (skipped when no store is configured).</summary>
    private async Task<string?> CheckSecretsAsync(GatewaySync resource, string operation, IEnumerable<(string What, string Name)> names)
    {
        if (!secrets.IsConfigured)
        {
            return null;
        }

        foreach (var (what, name) in names)
        {
            if (!await secrets.ExistsAsync(resource.Metadata.Namespace!, name, CancellationToken.None))
            {
                return $"{what} secret \"{name}\" not found in namespace \"{resource.Metadata.Namespace}\"";
            }
        }

        S.Failures.Remove(operation);
        return null;
    }

    private async Task<RefResolution?> ResolveRefAsync(GatewaySync resource, long? generation)
    {
        var effectiveRef = S.RequestedRef?.Ref is { Length: > 0 } requested ? requested : resource.Spec.Git.Ref;
        RefResolution resolution;
        var overrides = OverrideRefsToResolve();
        try
        {
            using var timeout = new CancellationTokenSource(LsRemoteTimeout.Duration, time);
            using var credentials = await GitCredentialsFactory.CreateAsync(resource, secrets, timeout.Token);
            resolution = await refResolver.ResolveAsync(new RefResolveRequest(resource.Spec.Git.Repo, effectiveRef, credentials.Credentials) { OtherRefs = overrides }, timeout.Token);
        }
        catch (Exception e) when (e is RefResolutionException or OperationCanceledException or GitCredentialsException)
        {
            var message = e is OperationCanceledException ? LsRemoteTimeout.Message(UrlRedactor.Redact(resource.Spec.Git.Repo)) : e.Message;
            await FailAsync(ReconcileOperation.ResolveRef, message, generation, isRefFailure: true,
                reason: resource.Spec.Git.Auth?.GithubApp is not null && message.Contains("GitHub App", StringComparison.Ordinal)
                    ? ConditionReasons.GitHubAppExchangeFailed
                    : ConditionReasons.RefResolutionFailed);
            return null;
        }

        S.Failures.Remove(ReconcileOperation.ResolveRef);
        S.ResolvedRef = resolution.Ref;
        S.ResolvedCommit = resolution.Commit;
        RecordOverrides(resource, overrides, resolution);
        var now = time.GetUtcNow();
        var status = S.Status with
        {
            RefResolutionStatus = RefResolutionStatus.Resolved,
            Conditions = ConditionSet.Set(S.Status.Conditions, ConditionTypes.RefResolved, ConditionStatus.True, ConditionReasons.RefResolved, resolution.Commit, generation, now),
        };
        if (status.LastSyncCommit != resolution.Commit)
        {
            LogResolved(logger, this.GetPrimaryKeyString(), resolution.Ref, resolution.Commit);
            status = status with
            {
                LastSyncCommit = resolution.Commit,
                LastSyncCommitShort = resolution.Commit.Length > 7 ? resolution.Commit[..7] : resolution.Commit,
                LastSyncRef = resolution.Ref,
                LastSyncTime = KubeTimeJsonConverter.Truncate(now),
            };
        }

        S.Status = status;
        return resolution;
    }

    /// <summary>
    /// A new release when what the gateways are made of changed (commit, spec, pause, an override resolved), numbered
    /// from the stored counter; null when the current one still holds.
    /// </summary>
    private Release? NextRelease(GatewaySync resource, RefResolution resolution)
    {
        S.Epoch ??= Guid.NewGuid().ToString("N");
        var (release, digest) = ReleaseFactory.Create(resource, resolution.Ref, resolution.Commit, S.RefOverrides, S.Epoch);
        if (digest == S.ReleaseDigest && S.Release is not null)
        {
            return null;
        }

        S.Release = release with { Version = ++S.LastReleaseVersion };
        S.ReleaseDigest = digest;
        return S.Release;
    }

    /// <summary>Drops the webhook's requested ref once <c>spec.git.ref</c> names the same thing (docs/webhooks.md).</summary>
    private void ClearCaughtUpRequest(GatewaySync resource)
    {
        if (S.RequestedRef is { } requested && PollingPolicy.SameRefIgnoringV(ShortRef(requested.Ref), ShortRef(resource.Spec.Git.Ref)))
        {
            S.RequestedRef = null;
        }
    }

    private static string ShortRef(string name) =>
        name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..]
        : name.StartsWith("refs/tags/", StringComparison.Ordinal) ? name["refs/tags/".Length..]
        : name;

    private async Task FailAsync(string operation, string error, long? generation, bool isRefFailure, string reason = ConditionReasons.RefResolutionFailed)
    {
        var failures = S.Failures[operation] = S.Failures.GetValueOrDefault(operation) + 1;
        var delay = BackoffSchedule.Delay(failures);
        var retry = GoDuration.Format(delay);
        var now = time.GetUtcNow();
        LogFailure(logger, this.GetPrimaryKeyString(), operation, failures, retry, error);
        S.LastError = error;
        if (isRefFailure)
        {
            EmitRefFailure(reason, error);
        }

        S.Status = isRefFailure
            ? S.Status with
            {
                RefResolutionStatus = RefResolutionStatus.Error,
                Conditions = ConditionSet.Set(S.Status.Conditions, ConditionTypes.RefResolved, ConditionStatus.False, reason, $"Ref resolution failed (retry in {retry}): {error}", generation, now),
            }
            : S.Status with
            {
                Conditions = ConditionSet.Set(S.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Reconciling, $"{error} (retry in {retry})", generation, now),
            };
        await state.WriteStateAsync();
        await ScheduleRetryAsync(delay);
        await SchedulePollingAsync(PollingPolicy.Interval(S.Resource?.Spec.Polling));
    }
}
