using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>The roster: gateways joining (discovery, registration), reporting, and receiving desired states.</summary>
public sealed partial class GatewaySyncGrain
{
    public Task<DesiredState?> GatewayRegistered(string gatewayName, AgentRegistration registration)
    {
        var entry = S.Roster.GetValueOrDefault(gatewayName) ?? new RosterEntry { Name = gatewayName };

        // A gateway pod discovery knows is described by its pod as it is now: the profile annotation may have changed
        // since the agent's PROFILE was fixed at injection, and it must win (docs/kubernetes.md, "Gateway discovery").
        entry = entry.Discovered
            ? entry with { AgentConnected = true, AgentVersion = registration.AgentVersion, MissingSidecar = false }
            : entry with
            {
                Namespace = registration.PodNamespace ?? S.Resource?.Metadata.Namespace ?? entry.Namespace,
                PodName = string.IsNullOrEmpty(registration.PodName) ? entry.PodName : registration.PodName,
                Profile = registration.Profile ?? entry.Profile,
                Labels = registration.Labels.Count > 0 ? registration.Labels : entry.Labels,
                AgentConnected = true,
                AgentVersion = registration.AgentVersion,
                MissingSidecar = false,
            };
        S.Roster[gatewayName] = entry;
        var desired = S.Resource is null ? null : NextDesired(S.Resource, gatewayName).State;
        MarkDirty();
        return Task.FromResult(desired);
    }

    public Task GatewayReported(string gatewayName, SyncReport report)
    {
        if (S.Roster.TryGetValue(gatewayName, out var entry))
        {
            S.Roster[gatewayName] = entry with { LastReport = report, AgentConnected = true, AgentVersion = report.AgentVersion };
            MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task GatewaySessionChanged(string gatewayName, bool connected)
    {
        if (S.Roster.TryGetValue(gatewayName, out var entry) && entry.AgentConnected != connected)
        {
            S.Roster[gatewayName] = entry with { AgentConnected = connected };
            MarkDirty();
        }

        return Task.CompletedTask;
    }

    public async Task ExpectGateway(ExpectedGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        await ExpectAsync(gateway);
        MarkDirty();
    }

    public async Task SetDiscoveredGateways(IReadOnlyList<ExpectedGateway> gateways)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var names = gateways.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in S.Roster.Values.Where(e => e.Discovered && !names.Contains(e.Name)).Select(e => e.Name).ToList())
        {
            S.Roster.Remove(gone);
        }

        await Task.WhenAll(gateways.Select(ExpectAsync));
        MarkDirty();
    }

    /// <summary>
    /// Takes the pod's view of a gateway; held even while the resource does not exist (yet), so a GatewaySync created
    /// after its pods starts with them. A changed profile or ref override reaches the gateway at once.
    /// </summary>
    private async Task ExpectAsync(ExpectedGateway gateway)
    {
        var entry = S.Roster.GetValueOrDefault(gateway.Name) ?? new RosterEntry { Name = gateway.Name };
        entry = entry with
        {
            Namespace = gateway.Namespace,
            PodName = gateway.PodName,
            ServiceAccountName = gateway.ServiceAccountName,
            Profile = gateway.Profile,
            Labels = gateway.Labels,
            MissingSidecar = gateway.MissingSidecar,
            RefOverride = string.IsNullOrEmpty(gateway.RefOverride) ? null : gateway.RefOverride,
            Discovered = true,
        };
        S.Roster[gateway.Name] = entry;
        ResolveOverrideSoon(entry);
        if (S.Resource is { } resource && NextDesired(resource, gateway.Name) is { Changed: true, State: { } desired })
        {
            await GatewayGrain(gateway.Name).SetDesired(desired);
        }
    }

    public Task ForgetGateway(string gatewayName)
    {
        if (S.Roster.Remove(gatewayName))
        {
            MarkDirty();
        }

        return Task.CompletedTask;
    }

    /// <summary>Pushes every gateway whose desired state changed, in parallel; the Gateway grains notify agents one-way.</summary>
    private async Task FanOutAsync(GatewaySync resource)
    {
        var pushes = S.Roster.Keys.ToList()
            .Select(name => NextDesired(resource, name))
            .Where(next => next.Changed)
            .Select(next => GatewayGrain(next.State!.GatewayName).SetDesired(next.State))
            .ToList();
        if (pushes.Count > 0)
        {
            LogFanOut(logger, this.GetPrimaryKeyString(), pushes.Count, S.ResolvedCommit ?? "");
            await Task.WhenAll(pushes);
        }
    }

    /// <summary>
    /// The gateway's desired state at the resolved commit, with a new version only when its content changed, so
    /// re-computing never makes an agent re-sync for nothing. No state until the ref has resolved, or while paused.
    /// </summary>
    private (DesiredState? State, bool Changed) NextDesired(GatewaySync resource, string gatewayName)
    {
        if (S.ResolvedCommit is not { Length: > 0 } commit || S.ResolvedRef is not { } resolvedRef || resource.Spec.Paused == true)
        {
            return (null, false);
        }

        var entry = S.Roster[gatewayName];
        if (GatewayRef(entry, resolvedRef, commit) is not var (gatewayRef, gatewayCommit, overrideError))
        {
            return (null, false);
        }

        if (_profiles?.Resource != resource)
        {
            _profiles = new ProfileCache(resource);
        }

        var desired = DesiredStateFactory.Create(resource, gatewayRef, gatewayCommit, entry, _profiles);
        if (overrideError is not null)
        {
            // Nothing to sync: the agent reports this as the gateway's error.
            desired = desired with { Profile = null, CanonicalProfile = "", ProfileError = overrideError };
        }

        var fingerprint = DesiredStateFactory.Fingerprint(desired);
        var changed = fingerprint != entry.DesiredFingerprint;
        if (changed || entry.RefOverrideError != overrideError)
        {
            if (overrideError is not null && entry.RefOverrideError != overrideError)
            {
                LogRefOverrideFailed(logger, this.GetPrimaryKeyString(), gatewayName, overrideError);
            }

            entry = changed
                ? entry with { DesiredVersion = ++S.LastDesiredVersion, DesiredFingerprint = fingerprint, RefOverrideError = overrideError }
                : entry with { RefOverrideError = overrideError };
            S.Roster[gatewayName] = entry;
        }

        S.Epoch ??= Guid.NewGuid().ToString("N");
        return (desired with { Version = entry.DesiredVersion, Epoch = S.Epoch }, changed);
    }

    /// <summary>
    /// Roster changes (registrations, reports, sessions) are folded into the status and written in one batch
    /// shortly after, not per message: with thousands of gateways, per-message aggregation and writes would make
    /// this grain the bottleneck. A crash inside the window loses nothing that agents do not send again.
    /// </summary>
    private void MarkDirty()
    {
        _flushTimer ??= this.RegisterGrainTimer(
            async _ =>
            {
                // Disposing the timer cancels its token, so the write must not take that token.
                var timer = _flushTimer;
                _flushTimer = null;
                await FlushAsync();
                timer?.Dispose();
            },
            new GrainTimerCreationOptions { DueTime = FlushDelay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    private async Task FlushAsync()
    {
        var before = S.Status;
        Reaggregate();
        EmitTransitions(before);
        if (S.Resource is { } resource)
        {
            Metrics.ControllerMetrics.Publish(resource, S.Status);
        }

        await state.WriteStateAsync(CancellationToken.None);
        if (View() is { } stored)
        {
            statusSink.StatusChanged(stored);
        }
    }

    private void Reaggregate()
    {
        if (S.Resource is { } resource)
        {
            S.Status = StatusAggregator.Aggregate(S.Status, S.Roster.Values, resource.Spec.Paused == true, resource.Metadata.Generation, time.GetUtcNow());
        }
    }
}
