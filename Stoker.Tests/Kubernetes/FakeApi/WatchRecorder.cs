using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>Runs one KubernetesClient watch in the background and keeps what it saw, how it ended and why.</summary>
public sealed class WatchRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task run;

    private WatchRecorder(Task<HttpOperationResponse<object>> response)
    {
        run = Task.Run(async () =>
        {
            try
            {
#pragma warning disable CS0618 // The silo uses this KubernetesClient watch path; it still works in 21.0.8.
                await foreach (var (type, item) in response.WatchAsync<JsonElement, object>(onError: e => Error ??= e, cancellationToken: stop.Token))
#pragma warning restore CS0618
                {
                    Events.Enqueue((type, JsonNode.Parse(item.GetRawText())!.AsObject()));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Error ??= e;
            }
            catch (OperationCanceledException)
            {
                // Stopped by the test.
            }
        });
    }

    public ConcurrentQueue<(WatchEventType Type, JsonObject Object)> Events { get; } = new();

    /// <summary>
    /// The first failure: an exception that ended the stream (an HTTP 410 on open), or what KubernetesClient passed to
    /// <c>onError</c>: an ERROR event inside the stream does not throw, it arrives there as a <see cref="KubernetesException"/>.
    /// </summary>
    public Exception? Error { get; private set; }

    public bool Ended => run.IsCompleted;

    public IEnumerable<string> Seen => Events.Select(e => $"{e.Type} {e.Object["metadata"]?["name"]} {e.Object["metadata"]?["resourceVersion"]}");

    /// <summary>Watches gatewaysyncs in all namespaces from <paramref name="resourceVersion"/>.</summary>
    public static WatchRecorder GatewaySyncs(IKubernetes client, string? resourceVersion, bool bookmarks = true, string? labelSelector = null)
    {
#pragma warning disable CS0618 // The list-with-watch call is marked obsolete in KubernetesClient but is its custom-object watch.
        return new WatchRecorder(client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
            FakeApiHarness.CrGroup, FakeApiHarness.CrVersion, FakeApiHarness.CrPlural, allowWatchBookmarks: bookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true));
#pragma warning restore CS0618
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await run;
        }
        finally
        {
            stop.Dispose();
        }
    }
}
