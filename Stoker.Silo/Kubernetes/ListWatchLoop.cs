using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Kubernetes;

/// <summary>
/// List, then watch, one kind of object in all namespaces or in each configured one, until cancelled: the watch
/// continues from the last resourceVersion handled (bookmarks included), after a failure with a backoff that doubles
/// per failure; a 410 Gone (as an HTTP answer or an ERROR event in the stream) starts over with a full list, which the
/// handler compares with what it took before, so no change is missed. The GatewaySync watch and pod discovery share it.
/// </summary>
public sealed partial class ListWatchLoop(WatchSource source, IWatchHandler handler, StokerKubernetesOptions options, TimeProvider time, ILogger logger)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        options.Namespaces.Count == 0
            ? RunScopeAsync(null, cancellationToken)
            : Task.WhenAll(options.Namespaces.Distinct(StringComparer.Ordinal).Select(ns => RunScopeAsync(ns, cancellationToken)));

    /// <summary>
    /// One namespace or (null) all of them. A failure keeps the position of the last event handled (that event is not
    /// skipped: the watch resumes before it); only a 410 Gone throws the position away for a new list.
    /// </summary>
    private async Task RunScopeAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var scope = @namespace ?? "(all namespaces)";
        var position = new WatchPosition();
        var backoff = options.MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (position.ResourceVersion is null)
                {
                    position.ResourceVersion = await ListAsync(@namespace, cancellationToken);
                    LogListed(logger, source.Kind, scope, position.ResourceVersion);
                }

                await WatchAsync(@namespace, position, cancellationToken);
                backoff = options.MinBackoff;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                LogGone(logger, source.Kind, scope, position.ResourceVersion);
                position.ResourceVersion = null;
            }
            catch (Exception e)
            {
                // The API server or the grains failed: resume from the last event handled, after a backoff.
                LogWatchFailed(logger, source.Kind, scope, position.ResourceVersion, backoff, e);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Lists every object (in pages), hands them to the handler, and returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = await source.ListPage(@namespace, continueToken, cancellationToken);
            var list = ToNode(page) ?? throw new InvalidOperationException($"the {source.Kind} list answer is not an object");
            items.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>());
            resourceVersion = list["metadata"]?["resourceVersion"]?.GetValue<string>()
                ?? throw new InvalidOperationException($"the {source.Kind} list answer has no metadata.resourceVersion");
            continueToken = list["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
        }
        while (continueToken is not null);

        await handler.ListedAsync(@namespace, items, cancellationToken);
        return resourceVersion;
    }

    /// <summary>Follows one watch request to its end, advancing <paramref name="position"/> past each event handled. Throws on 410 Gone.</summary>
    private async Task WatchAsync(string? @namespace, WatchPosition position, CancellationToken cancellationToken)
    {
        Exception? streamError = null;
        var events = source.Watch(@namespace, position.ResourceVersion!, (int)options.WatchTimeout.TotalSeconds, e => streamError = e, cancellationToken);
        await foreach (var (type, element) in events.WithCancellation(cancellationToken))
        {
            var item = JsonNode.Parse(element.GetRawText()) as JsonObject;
            if (type == WatchEventType.Error)
            {
                // A real API server may report an expired resourceVersion inside a 200 stream.
                var code = item?["code"]?.GetValue<int>();
                throw code == (int)HttpStatusCode.Gone ? Gone() : new InvalidOperationException($"the {source.Kind} watch reported an error: {item?.ToJsonString()}");
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
            throw new InvalidOperationException($"the {source.Kind} watch stream failed: " + streamError.Message, streamError);
        }
    }

    /// <summary>Custom-object lists arrive as a <see cref="JsonElement"/>, typed lists (pods) as KubernetesClient models.</summary>
    private static JsonObject? ToNode(object page) => page switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText()) as JsonObject,
        _ => JsonNode.Parse(KubernetesJson.Serialize(page)) as JsonObject,
    };

    private static HttpOperationException Gone() =>
        new("410 Gone in the watch stream") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "") };

    private sealed class WatchPosition
    {
        public string? ResourceVersion { get; set; }
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "{Kind} in {Scope} listed at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string kind, string scope, string resourceVersion);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "{Kind} watch in {Scope}: resourceVersion {ResourceVersion} is gone (410); listing again")]
    private static partial void LogGone(ILogger logger, string kind, string scope, string? resourceVersion);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "{Kind} watch in {Scope} failed; resuming from resourceVersion {ResourceVersion} in {Delay}")]
    private static partial void LogWatchFailed(ILogger logger, string kind, string scope, string? resourceVersion, TimeSpan delay, Exception exception);
}
