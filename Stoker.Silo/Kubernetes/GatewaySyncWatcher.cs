using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// Lists and watches <c>gatewaysyncs.stoker.io</c> (all namespaces or the configured ones) while this silo holds the
/// leader Lease, and hands each event to <see cref="GatewaySyncEventHandler"/> through a <see cref="ListWatchLoop"/>
/// (resourceVersion tracking, bookmarks, backoff, a new list after 410 Gone). The other leader watches
/// (<see cref="ILeaderWatch"/>: pod discovery) run beside it under the same lease.
/// </summary>
public sealed partial class GatewaySyncWatcher(
    IKubernetes client,
    GatewaySyncEventHandler handler,
    IEnumerable<ILeaderWatch> others,
    IOptions<StokerKubernetesOptions> options,
    TimeProvider time,
    ILogger<GatewaySyncWatcher> logger) : BackgroundService
{
    private StokerKubernetesOptions O => options.Value;

    /// <summary>Whether this silo runs the watches now.</summary>
    public bool IsLeading { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!O.LeaderElection)
        {
            IsLeading = true;
            await WatchAllAsync(stoppingToken);
            return;
        }

        var identity = KubernetesMode.SiloIdentity(O);
        var leaseNamespace = O.LeaseNamespace is { Length: > 0 } ns ? ns
            : Environment.GetEnvironmentVariable(KubernetesMode.PodNamespaceVariable) is { Length: > 0 } podNs ? podNs
            : KubernetesMode.DefaultLeaseNamespace;
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationTokenSource? leading = null;
            Task? watching = null;
            var lease = new LeaseLock(client, leaseNamespace, O.LeaseName, identity);
            var wasLeading = false;
            var config = new LeaderElectionConfig(lease)
            {
                LeaseDuration = O.LeaseDuration,
                RenewDeadline = O.RenewDeadline,
                RetryPeriod = O.RetryPeriod,
            };
            using var elector = new LeaderElector(config);
            elector.OnStartedLeading += () =>
            {
                LogLeading(logger, identity, leaseNamespace, O.LeaseName);
                IsLeading = true;
                wasLeading = true;
                leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                watching = Task.Run(() => WatchAllAsync(leading.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                IsLeading = false;
                leading?.Cancel();
            };
            try
            {
                await elector.RunUntilLeadershipLostAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                LogElectionFailed(logger, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                IsLeading = false;
                if (leading is not null)
                {
                    await leading.CancelAsync();
                }

                if (watching is not null)
                {
                    await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                leading?.Dispose();
            }

            if (wasLeading && stoppingToken.IsCancellationRequested)
            {
                await ReleaseAsync(lease, identity, leaseNamespace);
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                LogNotLeading(logger, identity);
                await Task.Delay(O.RetryPeriod, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// On a clean stop the leader gives its Lease up (no holder, one-second duration, as client-go's release does), so
    /// a successor takes over at its next retry instead of waiting out the lease: a rolling update hands over at once.
    /// A failure only costs that wait, so it is logged, never thrown.
    /// </summary>
    private async Task ReleaseAsync(LeaseLock lease, string identity, string leaseNamespace)
    {
        using var deadline = new CancellationTokenSource(O.RenewDeadline, time);
        try
        {
            var record = await lease.GetAsync(deadline.Token);
            if (record.HolderIdentity != identity)
            {
                return;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var released = new LeaderElectionRecord
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaderTransitions = record.LeaderTransitions,
            };
            if (await lease.UpdateAsync(released, deadline.Token))
            {
                LogReleased(logger, identity, leaseNamespace, O.LeaseName);
            }
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            LogReleaseFailed(logger, leaseNamespace, O.LeaseName, e.Message);
        }
    }

    /// <summary>The GatewaySync watch and every other leader watch (pod discovery), together, until cancelled.</summary>
    private Task WatchAllAsync(CancellationToken cancellationToken)
    {
        var source = new WatchSource(
            "GatewaySyncs",
            async (ns, continueToken, ct) => ns is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync(GatewaySync.Group, GatewaySync.Version, GatewaySync.Plural,
                    continueParameter: continueToken, limit: WatchSource.PageSize, cancellationToken: ct)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync(GatewaySync.Group, GatewaySync.Version, ns, GatewaySync.Plural,
                    continueParameter: continueToken, limit: WatchSource.PageSize, cancellationToken: ct),
            Watch);
        var gatewaySyncs = new ListWatchLoop(source, handler, O, time, logger);
        return Task.WhenAll([gatewaySyncs.RunAsync(cancellationToken), .. others.Select(w => w.RunAsync(cancellationToken))]);
    }

    private IAsyncEnumerable<(WatchEventType, JsonElement)> Watch(string? @namespace, string resourceVersion, int timeout, Action<Exception> onError, CancellationToken cancellationToken)
    {
        var request = @namespace is null
            ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(GatewaySync.Group, GatewaySync.Version, GatewaySync.Plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(GatewaySync.Group, GatewaySync.Version, @namespace, GatewaySync.Plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken);
#pragma warning disable CS0618 // WatchAsync is marked obsolete in favour of typed watches, which custom objects have none of.
        return request.WatchAsync<JsonElement, object>(onError, cancellationToken);
#pragma warning restore CS0618
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Leader election: {Identity} holds lease {LeaseNamespace}/{LeaseName}; watching GatewaySyncs")]
    private static partial void LogLeading(ILogger logger, string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Leader election: {Identity} does not hold the lease; GatewaySyncs are not watched here")]
    private static partial void LogNotLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Leader election: {Identity} released lease {LeaseNamespace}/{LeaseName} on stopping")]
    private static partial void LogReleased(ILogger logger, string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Leader election: lease {LeaseNamespace}/{LeaseName} not released on stopping (a successor waits for it to expire): {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string leaseNamespace, string leaseName, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Leader election failed: {Reason}")]
    private static partial void LogElectionFailed(ILogger logger, string reason);
}
