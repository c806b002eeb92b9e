using Stoker.Grains.Gateways;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>The roster: gateways joining (discovery, registration) and summarising themselves; releases to them.</summary>
public sealed partial class GatewaySyncGrain
{
    public Task<Release?> GetRelease() => Task.FromResult(S.Release);

    public Task GatewayChanged(GatewaySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var known = S.Roster.TryGetValue(summary.Name, out var entry);
        if (!known && !summary.Joining || entry?.Summary is { } held && held.Sequence >= summary.Sequence)
        {
            // A gateway not (or no longer) in the roster joins only by registering; an older summary was overtaken.
            return Task.CompletedTask;
        }

        // An activation that has not heard the agent (yet) keeps the version the last one reported.
        var agentVersion = summary.AgentVersion ?? entry?.Summary?.AgentVersion;
        S.Roster[summary.Name] = (entry ?? new RosterEntry { Name = summary.Name }) with { Summary = summary with { AgentVersion = agentVersion } };
        if (S.Release is { } release && summary.ReleaseVersion < release.Version)
        {
            // A new Gateway grain activation (or one that missed a release): it gets the current one, one-way.
            GatewayGrain(summary.Name).Publish(release).Ignore();
        }

        MarkDirty();
        return Task.CompletedTask;
    }

    public Task ExpectGateway(ExpectedGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        Expect(gateway);
        MarkDirty();
        return Task.CompletedTask;
    }

    public Task SetDiscoveredGateways(IReadOnlyList<ExpectedGateway> gateways)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var names = gateways.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in S.Roster.Values.Where(e => e.Pod is not null && !names.Contains(e.Name)).Select(e => e.Name).ToList())
        {
            Forget(gone);
        }

        foreach (var gateway in gateways)
        {
            Expect(gateway);
        }

        MarkDirty();
        return Task.CompletedTask;
    }

    public Task SecretChanged(string secretName)
    {
        if (S.Resource is { } resource && ReconcileSteps.NamesSecret(resource, secretName))
        {
            LogSecretChanged(logger, this.GetPrimaryKeyString(), secretName);
            Schedule.ReconcileSoon($"secret {secretName} changed");
        }

        return Task.CompletedTask;
    }

    public Task ForgetGateway(string gatewayName)
    {
        if (S.Roster.ContainsKey(gatewayName))
        {
            Forget(gatewayName);
            MarkDirty();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Takes the pod's view of a gateway; held even while the resource does not exist (yet), so a GatewaySync created
    /// after its pods starts with them. A changed pod reaches its Gateway grain at once, with the current release.
    /// </summary>
    private void Expect(ExpectedGateway gateway)
    {
        var entry = S.Roster.GetValueOrDefault(gateway.Name) ?? new RosterEntry { Name = gateway.Name };
        if (GatewayInputs.SamePod(entry.Pod, gateway))
        {
            return;
        }

        entry = entry with { Pod = gateway };
        S.Roster[gateway.Name] = entry;
        ResolveOverrideSoon(entry);
        GatewayGrain(gateway.Name).SetPod(gateway, S.Release).Ignore();
    }

    private void Forget(string gatewayName)
    {
        var wasDiscovered = S.Roster.Remove(gatewayName, out var entry) && entry.Pod is not null;
        if (wasDiscovered)
        {
            GatewayGrain(gatewayName).SetPod(null, null).Ignore();
        }
    }

    /// <summary>Sends the release to every member, one message each; each Gateway grain decides whether its agent hears of it.</summary>
    private void Publish(Release release)
    {
        LogFanOut(logger, this.GetPrimaryKeyString(), S.Roster.Count, release.Version, release.Commit);
        foreach (var name in S.Roster.Keys)
        {
            GatewayGrain(name).Publish(release).Ignore();
        }
    }

    /// <summary>Summaries and discovery changes are folded into the status in one batched write (<see cref="GatewaySyncSchedule.FlushSoon"/>).</summary>
    private void MarkDirty() => Schedule.FlushSoon();

    private async Task FlushAsync()
    {
        var before = S.Status;
        Reaggregate();
        EmitTransitions(before);
        if (S.Resource is { } resource)
        {
            Metrics.ControllerMetrics.Publish(resource, S.Status, S.Roster.Values.Count(e => e.Summary?.AgentConnected == true));
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
            S.Status = StatusAggregator.Aggregate(S.Status, S.Roster.Values, resource.Spec.Paused == true, resource.Metadata.Generation, time.GetUtcNow(), resource.Metadata.Namespace ?? "",
                readyHeldByFailure: S.Failures.Keys.Any(k => k != ReconcileOperation.ResolveRef));
        }
    }
}
