using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Stoker.Grains.Git;
using Stoker.Grains.Interfaces;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Secrets;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>
/// One GatewaySync resource. Validates it, resolves its ref, publishes a release to its Gateway grains, aggregates
/// their summaries into the status, and keeps polling and backoff on reminders so they survive restarts.
/// </summary>
public sealed partial class GatewaySyncGrain(
    [PersistentState("gatewaysync", StokerStorage.Name)] IPersistentState<GatewaySyncState> state,
    IRefResolver refResolver,
    ISecretStore secrets,
    IGitCredentialSource credentialSource,
    IGitHubAppTokens appTokens,
    IGatewaySyncStatusSink statusSink,
    Events.IGatewaySyncEventSink events,
    TimeProvider time,
    IOptions<ReminderOptions> reminderOptions,
    ILogger<GatewaySyncGrain> logger) : Grain, IGatewaySyncGrain, IRemindable
{
    private GatewaySyncSchedule? _scheduleInstance;

    private GatewaySyncSchedule Schedule => _scheduleInstance ??= new GatewaySyncSchedule(
        this, () => state.State, reminderOptions.Value.MinimumReminderPeriod, time, ReconcileAsync, FlushAsync);

    private GatewaySyncState S => state.State;

    public async Task<GatewaySync> Apply(GatewaySync resource)
    {
        var (ns, name) = GrainKeys.ParseGatewaySync(this.GetPrimaryKeyString());
        var previous = S.Resource;
        var generation = resource.Metadata.Generation
            ?? (previous is null ? 1 : SpecUnchanged(previous, resource) ? previous.Metadata.Generation ?? 1 : (previous.Metadata.Generation ?? 1) + 1);
        S.Resource = resource with
        {
            Status = null,
            Metadata = resource.Metadata with
            {
                Name = name,
                Namespace = ns,
                Generation = generation,
                CreationTimestamp = resource.Metadata.CreationTimestamp ?? previous?.Metadata.CreationTimestamp ?? time.GetUtcNow(),
                Uid = resource.Metadata.Uid ?? previous?.Metadata.Uid ?? Guid.NewGuid().ToString(),
            },
        };

        if (resource.Metadata.Annotations?.TryGetValue(Annotations.RequestedRef, out var requested) == true && !string.IsNullOrEmpty(requested)
            && requested != S.RequestedRef?.Ref)
        {
            S.RequestedRef = new RefRequest { Ref = requested, Source = resource.Metadata.Annotations.GetValueOrDefault(Annotations.RequestedBy) ?? "generic", RequestedAt = time.GetUtcNow() };
            S.Failures.Clear();
        }

        // Persisted and scheduled like a requested ref, never reconciled in this call: the caller (an HTTP apply, the
        // manifests folder, the Kubernetes watch) is answered at once, while the ref resolution may take up to the
        // ls-remote timeout. The status returned is the stored one; its observedGeneration tells whether it already
        // reflects this generation (docs/architecture.md, "The control plane").
        await state.WriteStateAsync();
        Schedule.ReconcileSoon("apply");
        return Read()!;
    }

    public async Task Delete()
    {
        if (S.Resource is null)
        {
            return;
        }

        LogDeleted(logger, this.GetPrimaryKeyString(), S.Roster.Count);
        Metrics.ControllerMetrics.Forget(S.Resource.Metadata.Name ?? "", S.Resource.Metadata.Namespace ?? "");
        foreach (var gateway in S.Roster.Keys)
        {
            GatewayGrain(gateway).Clear().Ignore();
        }

        await Schedule.StopAsync();
        // Pods that name this resource still stand: a GatewaySync created again under this name starts with them.
        var discovered = S.Roster.Values.Where(e => e.Pod is not null).Select(e => new RosterEntry { Name = e.Name, Pod = e.Pod }).ToList();
        await state.ClearStateAsync();
        state.State = new GatewaySyncState();
        _viewDigest = null;
        if (discovered.Count > 0)
        {
            foreach (var entry in discovered)
            {
                S.Roster[entry.Name] = entry;
            }

            await state.WriteStateAsync();
        }

        statusSink.Deleted(this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }

    public Task<GatewaySync?> Get() => Task.FromResult(Read());

    public async Task<RefRequestOutcome> RequestRef(RefRequest request)
    {
        if (S.Resource is null)
        {
            return RefRequestOutcome.NotFound;
        }

        // The same ref again is the idempotent case, unless the request names a commit we have not resolved yet
        // (a push to the branch already requested or configured): then the ref must be resolved again.
        var sameRef = S.RequestedRef?.Ref == request.Ref;
        var newCommit = request.Commit is { Length: > 0 } commit && !string.Equals(commit, S.ResolvedCommit, StringComparison.OrdinalIgnoreCase);
        if (sameRef && !newCommit)
        {
            return RefRequestOutcome.AlreadyRequested;
        }

        S.RequestedRef = request;
        S.Failures.Clear();
        await state.WriteStateAsync();
        Schedule.ReconcileSoon("requested ref " + request.Ref);
        return RefRequestOutcome.Accepted;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Resource is null)
        {
            await Schedule.UnregisterAsync(reminderName);
            return;
        }

        if (reminderName == GatewaySyncSchedule.PollReminder)
        {
            Schedule.OnPollReminder();
        }

        await ReconcileAsync(reminderName);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Resource is not null)
        {
            await Schedule.SchedulePollingAsync(PollingPolicy.Interval(S.Resource.Spec.Polling));

            // The silo that held this grain before may have died with a status not yet published.
            statusSink.StatusChanged(View()!);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Schedule.CancelPendingFlush() && S.Resource is not null)
        {
            await FlushAsync();
        }
    }

    private GatewaySync? View()
    {
        if (S.Resource is not { } resource)
        {
            return null;
        }

        var annotations = new Dictionary<string, string>(resource.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        annotations.Remove(Annotations.RequestedRef);
        if (S.RequestedRef is { } requested)
        {
            annotations[Annotations.RequestedRef] = requested.Ref;
            annotations[Annotations.RequestedAt] = Interfaces.Serialization.KubeTimeJsonConverter.ToKubeString(requested.RequestedAt);
            annotations[Annotations.RequestedBy] = requested.Source;
        }

        var view = resource with
        {
            Metadata = resource.Metadata with { Annotations = annotations.Count == 0 ? null : annotations, ResourceVersion = null },
            Status = S.Status,
        };
        // In Kubernetes mode the API server's version came with the resource and stays the one clients see.
        return view with { Metadata = view.Metadata with { ResourceVersion = resource.Metadata.ResourceVersion } };
    }

    private IGatewayGrain GatewayGrain(string gatewayName) => GrainFactory.GetGrain<IGatewayGrain>(Interfaces.Grains.GrainKeys.Gateway(this.GetPrimaryKeyString(), gatewayName));

    private static bool SpecUnchanged(GatewaySync a, GatewaySync b) =>
        Interfaces.Serialization.GatewaySyncSerializer.ToJson(a with { Metadata = new(), Status = null }) == Interfaces.Serialization.GatewaySyncSerializer.ToJson(b with { Metadata = new(), Status = null });
}
