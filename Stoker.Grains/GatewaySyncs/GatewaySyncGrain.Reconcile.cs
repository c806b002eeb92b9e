using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Metrics;
using Stoker.Grains.Secrets;
using Stoker.Grains.Secrets.GitHubApp;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// The reconcile pass: an ordered list of small steps (docs/architecture.md). The decisions are
/// <see cref="ReconcileSteps"/>' plain functions; this part does the I/O and applies them.
/// </summary>
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
        (S.Status, var invalid) = ReconcileSteps.ValidateProfiles(S.Status, resource, time.GetUtcNow());
        if (invalid is not null)
        {
            Emit(Events.GatewaySyncEvents.ProfilesInvalid(invalid));
        }

        S.Status = ReconcileSteps.HostKeyCondition(S.Status, resource.Spec.Git.Auth, generation, time.GetUtcNow());
        if (await MissingSecretAsync(resource, ReconcileOperation.GitCredentials, ReconcileSteps.GitSecretNames(resource.Spec.Git.Auth)) is { } credentialError)
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

        if (await MissingSecretAsync(resource, ReconcileOperation.ApiKeySecret, [("gateway API key", resource.Spec.Gateway.Api.SecretName)]) is { } apiKeyError)
        {
            await FailAsync(ReconcileOperation.ApiKeySecret, apiKeyError, generation, isRefFailure: false);
            return "requeue";
        }

        if (ReconcileSteps.RequestCaughtUp(S.RequestedRef, resource))
        {
            S.RequestedRef = null;
        }

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

        await Schedule.ScheduleRetryAsync(null);
        await Schedule.SchedulePollingAsync(PollingPolicy.WithTokenRefresh(
            PollingPolicy.Interval(resource.Spec.Polling),
            resource.Spec.Git.Auth?.GithubApp is { } app ? appTokens.CachedExpiry(app) : null,
            GitHubAppTokens.RefreshBefore,
            time.GetUtcNow()));
        return "success";
    }

    /// <summary>The original's steps 2 and 3.5: every named Secret must exist (skipped when no store is configured).</summary>
    private async Task<string?> MissingSecretAsync(GatewaySync resource, string operation, IEnumerable<(string What, string Name)> names)
    {
        if (!secrets.IsConfigured)
        {
            return null;
        }

        foreach (var (what, name) in names)
        {
            try
            {
                if (!await secrets.ExistsAsync(resource.Metadata.Namespace!, name, CancellationToken.None))
                {
                    return ReconcileSteps.SecretNotFound(what, name, resource.Metadata.Namespace);
                }
            }
            catch (SecretReadException e)
            {
                // The store could not tell (the API server failed): a failure of this step, retried with its backoff.
                return $"checking the {what} secret: {e.Message}";
            }
        }

        S.Failures.Remove(operation);
        return null;
    }

    private async Task<RefResolution?> ResolveRefAsync(GatewaySync resource, long? generation)
    {
        RefResolution resolution;
        var overrides = OverrideRefsToResolve();
        try
        {
            using var timeout = new CancellationTokenSource(LsRemoteTimeout.Duration, time);
            var credentials = await GitCredentialsFactory.CreateAsync(resource, credentialSource, timeout.Token);
            var request = new RefResolveRequest(resource.Spec.Git.Repo, ReconcileSteps.EffectiveRef(S.RequestedRef, resource), credentials) { OtherRefs = overrides };
            resolution = await refResolver.ResolveAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is RefResolutionException or OperationCanceledException or GitCredentialsException)
        {
            var message = e is OperationCanceledException ? LsRemoteTimeout.Message(UrlRedactor.Redact(resource.Spec.Git.Repo)) : e.Message;
            await FailAsync(ReconcileOperation.ResolveRef, message, generation, isRefFailure: true, reason: ReconcileSteps.RefFailureReason(resource.Spec.Git.Auth, message));
            return null;
        }

        S.Failures.Remove(ReconcileOperation.ResolveRef);
        S.ResolvedRef = resolution.Ref;
        S.ResolvedCommit = resolution.Commit;
        S.RefOverrides = ReconcileSteps.OverrideResolutions(overrides, resolution.Others, resource.Spec.Git.Repo);
        (S.Status, var newCommit) = ReconcileSteps.Resolved(S.Status, resolution.Ref, resolution.Commit, generation, time.GetUtcNow());
        if (newCommit)
        {
            LogResolved(logger, this.GetPrimaryKeyString(), resolution.Ref, resolution.Commit);
        }

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

    private async Task FailAsync(string operation, string error, long? generation, bool isRefFailure, string reason = ConditionReasons.RefResolutionFailed)
    {
        var failures = S.Failures[operation] = S.Failures.GetValueOrDefault(operation) + 1;
        S.LastError = error;
        if (isRefFailure)
        {
            // Before the status changes: the event is recorded only when the ref was not failing already.
            EmitRefFailure(reason, error);
        }

        (S.Status, var delay) = ReconcileSteps.Failed(S.Status, failures, error, isRefFailure, reason, generation, time.GetUtcNow());
        if (isRefFailure)
        {
            // Ready follows RefResolved at once (a release webhook for a tag that does not exist must not leave it True).
            S.Status = S.Status with { Conditions = StatusAggregator.SetReady(S.Status.Conditions, S.Resource?.Spec.Paused == true, generation, time.GetUtcNow()) };
        }

        LogFailure(logger, this.GetPrimaryKeyString(), operation, failures, Interfaces.Serialization.GoDuration.Format(delay), error);
        await state.WriteStateAsync();
        await Schedule.ScheduleRetryAsync(delay);
        await Schedule.SchedulePollingAsync(PollingPolicy.Interval(S.Resource?.Spec.Polling));
    }
}
