using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Kubernetes.Discovery;

/// <summary>
/// Lists and watches pods (all namespaces or the configured ones, as the GatewaySync watch) on the leader silo, for
/// <see cref="PodDiscoveryHandler"/>. Pods cannot be selected by annotation on the server, so all are listed; only
/// those with <c>stoker.io/cr-name</c> lead anywhere.
/// </summary>
public sealed class PodWatch(IKubernetes client, PodDiscoveryHandler handler, IOptions<StokerKubernetesOptions> options, TimeProvider time, ILogger<PodWatch> logger) : ILeaderWatch
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        new ListWatchLoop(new WatchSource("Pods", ListAsync, Watch), handler, options.Value, time, logger).RunAsync(cancellationToken);

    private async Task<object> ListAsync(string? @namespace, string? continueToken, CancellationToken cancellationToken) => @namespace is null
        ? await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: continueToken, limit: WatchSource.PageSize, cancellationToken: cancellationToken)
        : await client.CoreV1.ListNamespacedPodAsync(@namespace, continueParameter: continueToken, limit: WatchSource.PageSize, cancellationToken: cancellationToken);

    private IAsyncEnumerable<(WatchEventType, JsonElement)> Watch(string? @namespace, string resourceVersion, int timeout, Action<Exception> onError, CancellationToken cancellationToken)
    {
        var request = @namespace is null
            ? client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken)
            : client.CoreV1.ListNamespacedPodWithHttpMessagesAsync(@namespace, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, cancellationToken: cancellationToken);
#pragma warning disable CS0618 // The typed watch would decode pods itself; the shared loop reads every kind as JSON.
        return request.WatchAsync<JsonElement, V1PodList>(onError, cancellationToken);
#pragma warning restore CS0618
    }
}
