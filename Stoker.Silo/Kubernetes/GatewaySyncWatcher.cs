using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// leader Lease, and hands each event to <see cref="GatewaySyncEventHandler"/>. A watch continues from the last
/// resourceVersion handled (bookmarks included), after a failure with a backoff that doubles per failure; a 410 Gone
/// starts over with a full list, compared with what was applied, so no change is missed.
/// </summary>
public sealed partial class GatewaySyncWatcher(
    IKubernetes client,
    GatewaySyncEventHandler handler,
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

        var identity = O.Identity is { Length: > 0 } id ? id
            : Environment.GetEnvironmentVariable(KubernetesMode.PodNameVariable) is { Length: > 0 } pod ? pod
            : $"{Environment.MachineName}-{Environment.ProcessId}";
        var leaseNamespace = O.LeaseNamespace is { Length: > 0 } ns ? ns
            : Environment.GetEnvironmentVariable(KubernetesMode.PodNamespaceVariable) is { Length: > 0 } podNs ? podNs
            : KubernetesMode.DefaultLeaseNamespace;
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationTokenSource? leading = null;
            Task? watching = null;
            var config = new LeaderElectionConfig(new LeaseLock(client, leaseNamespace, O.LeaseName, identity))
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

            if (!stoppingToken.IsCancellationRequested)
            {
                LogNotLeading(logger, identity);
                await Task.Delay(O.RetryPeriod, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private Task WatchAllAsync(CancellationToken cancellationToken) =>
        O.Namespaces.Count == 0
            ? WatchScopeAsync(null, cancellationToken)
            : Task.WhenAll(O.Namespaces.Distinct(StringComparer.Ordinal).Select(ns => WatchScopeAsync(ns, cancellationToken)));

    /// <summary>
    /// List, then watch from the list's resourceVersion, for one namespace or (null) all of them, until cancelled. A
    /// failure keeps the position of the last event handled (that event is not skipped: the watch resumes before it);
    /// only a 410 Gone throws the position away for a new list.
    /// </summary>
    private async Task WatchScopeAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var scope = @namespace ?? "(all namespaces)";
        var position = new WatchPosition();
        var backoff = O.MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (position.ResourceVersion is null)
                {
                    position.ResourceVersion = await ListAsync(@namespace, cancellationToken);
                    LogListed(logger, scope, position.ResourceVersion);
                }

                await WatchAsync(@namespace, position, cancellationToken);
                backoff = O.MinBackoff;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                LogGone(logger, scope, position.ResourceVersion);
                position.ResourceVersion = null;
            }
            catch (Exception e)
            {
                // The API server or the grains failed: resume from the last event handled, after a backoff.
                LogWatchFailed(logger, scope, position.ResourceVersion, backoff, e);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, O.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Lists every resource (in pages), hands each to the handler, and returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = @namespace is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync(GatewaySync.Group, GatewaySync.Version, GatewaySync.Plural,
                    continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync(GatewaySync.Group, GatewaySync.Version, @namespace, GatewaySync.Plural,
                    continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken);
            var list = JsonSerializer.SerializeToNode(page) as JsonObject ?? throw new InvalidOperationException("the list answer is not an object");
            items.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>());
            resourceVersion = list["metadata"]?["resourceVersion"]?.GetValue<string>() ?? throw new InvalidOperationException("the list answer has no metadata.resourceVersion");
            continueToken = list["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
        }
        while (continueToken is not null);

        await handler.ListedAsync(@namespace, items, cancellationToken);
        return resourceVersion;
    }

    /// <summary>Follows one watch request to its end, advancing <paramref name="position"/> past each event handled. Throws on 410 Gone.</summary>
    private async Task WatchAsync(string? @namespace, WatchPosition position, CancellationToken cancellationToken)
    {
        var resourceVersion = position.ResourceVersion;
        var timeout = (int)O.WatchTimeout.TotalSeconds;
        var request = @namespace is null
            ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(GatewaySync.Group, GatewaySync.Version, GatewaySync.Plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(GatewaySync.Group, GatewaySync.Version, @namespace, GatewaySync.Plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken);
        Exception? streamError = null;
#pragma warning disable CS0618 // WatchAsync is marked obsolete in favour of typed watches, which custom objects have none of.
        var events = request.WatchAsync<JsonElement, object>(e => streamError = e, cancellationToken);
#pragma warning restore CS0618
        await foreach (var (type, element) in events.WithCancellation(cancellationToken))
        {
            var item = JsonNode.Parse(element.GetRawText()) as JsonObject;
            if (type == WatchEventType.Error)
            {
                // A real API server may report an expired resourceVersion inside a 200 stream.
                var code = item?["code"]?.GetValue<int>();
                throw code == (int)HttpStatusCode.Gone ? Gone() : new InvalidOperationException($"the watch reported an error: {item?.ToJsonString()}");
            }

            if (item?["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } next)
            {
                if (type == WatchEventType.Bookmark)
                {
                    position.ResourceVersion = next;
                    continue;
                }

                if (type == WatchEventType.Deleted)
                {
                    await handler.DeletedAsync(item, cancellationToken);
                }
                else
                {
                    await handler.ChangedAsync(item, cancellationToken);
                }

                // Only once handled: after a failure above the watch resumes before this event.
                position.ResourceVersion = next;
            }
        }

        if (streamError is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
        {
            // KubernetesClient turns an ERROR event carrying a Status into this exception rather than an event.
            throw Gone();
        }

        if (streamError is not null and not OperationCanceledException)
        {
            throw new InvalidOperationException("the watch stream failed: " + streamError.Message, streamError);
        }
    }

    private static HttpOperationException Gone() =>
        new("410 Gone in the watch stream") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "") };

    private sealed class WatchPosition
    {
        public string? ResourceVersion { get; set; }
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Leader election: {Identity} holds lease {LeaseNamespace}/{LeaseName}; watching GatewaySyncs")]
    private static partial void LogLeading(ILogger logger, string identity, string leaseNamespace, string leaseName);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Leader election: {Identity} does not hold the lease; GatewaySyncs are not watched here")]
    private static partial void LogNotLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Leader election failed: {Reason}")]
    private static partial void LogElectionFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "GatewaySyncs in {Scope} listed at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string scope, string resourceVersion);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "GatewaySync watch in {Scope}: resourceVersion {ResourceVersion} is gone (410); listing again")]
    private static partial void LogGone(ILogger logger, string scope, string? resourceVersion);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "GatewaySync watch in {Scope} failed; resuming from resourceVersion {ResourceVersion} in {Delay}")]
    private static partial void LogWatchFailed(ILogger logger, string scope, string? resourceVersion, TimeSpan delay, Exception exception);
}
