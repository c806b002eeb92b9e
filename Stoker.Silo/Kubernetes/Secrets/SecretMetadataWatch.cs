using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Kubernetes.Secrets;

/// <summary>
/// Lists and watches the Secrets of the watched namespaces (all, or <c>Stoker:Kubernetes:Namespaces</c>) for
/// <see cref="KubernetesSecretStore"/>, metadata only: requests ask for <c>PartialObjectMetadata</c>, so the API server
/// sends no Secret's data. Runs on every silo, not only the leader: any silo hosts GatewaySync and Gateway grains.
/// </summary>
public sealed class SecretMetadataWatch(
    IKubernetes client, KubernetesSecretStore store, Stoker.Silo.Secrets.SecretChangeNotifier notifier, IOptions<StokerKubernetesOptions> options, TimeProvider time, ILogger<SecretMetadataWatch> logger)
    : BackgroundService
{
    /// <summary>The Accept header of a metadata-only list or watch (what client-go's metadata informers send).</summary>
    public const string MetadataOnlyList = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    public const string MetadataOnlyWatch = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ListHeaders =
        new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = [MetadataOnlyList] };

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> WatchHeaders =
        new Dictionary<string, IReadOnlyList<string>> { ["Accept"] = [MetadataOnlyWatch] };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A Secret created or changed reaches the GatewaySyncs naming it at once, not at their next poll or retry.
        store.SecretChanged += notifier.Notify;
        try
        {
            await new ListWatchLoop(new WatchSource("Secrets", ListAsync, Watch), store, options.Value, time, logger).RunAsync(stoppingToken);
        }
        finally
        {
            store.SecretChanged -= notifier.Notify;
        }
    }

    private async Task<object> ListAsync(string? @namespace, string? continueToken, CancellationToken cancellationToken)
    {
        using var response = @namespace is null
            ? await client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(continueParameter: continueToken, limit: WatchSource.PageSize, customHeaders: ListHeaders, cancellationToken: cancellationToken)
            : await client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(@namespace, continueParameter: continueToken, limit: WatchSource.PageSize, customHeaders: ListHeaders, cancellationToken: cancellationToken);
        return response.Body;
    }

    private IAsyncEnumerable<(WatchEventType, JsonElement)> Watch(string? @namespace, string resourceVersion, int timeout, Action<Exception> onError, CancellationToken cancellationToken)
    {
        var request = @namespace is null
            ? client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, customHeaders: WatchHeaders, cancellationToken: cancellationToken)
            : client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(@namespace, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeout, watch: true, customHeaders: WatchHeaders, cancellationToken: cancellationToken);
#pragma warning disable CS0618 // The typed watch would decode Secrets itself; the shared loop reads every kind as JSON.
        return request.WatchAsync<JsonElement, V1SecretList>(onError, cancellationToken);
#pragma warning restore CS0618
    }
}
