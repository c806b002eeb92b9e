using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Silo.Api.Lists;
using Stoker.Silo.Api.Tables;

namespace Stoker.Silo.Api.Watch;

/// <summary>
/// One watch of GatewaySyncs: a chunked stream of newline-delimited watch events, as the API server sends them.
/// <para>
/// There is no change feed across silos (each resource lives in its grain, wherever it is activated), so the watch
/// lists the store every <see cref="WatchOptions.PollInterval"/> and emits what changed by resourceVersion: a change
/// and its undo between two polls are not seen, which a client of a level-triggered API never relies on. It starts
/// with the resources changed after the request's resourceVersion (all of them, as ADDED, when none is given), ends
/// at its timeout, when the client goes away or when the silo stops, and releases its slot in the limiter.
/// </para>
/// </summary>
public sealed class GatewaySyncWatch(
    GatewaySyncStore store,
    string? @namespace,
    ListOptions list,
    TableWriter? tables,
    TableRequest? table,
    WatchOptions options,
    TimeProvider time,
    WatchLimiter limiter,
    ILogger logger,
    CancellationToken stopping) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        try
        {
            var timeout = list.Timeout is { } asked && asked < options.MaxTimeout ? asked : list.Timeout is null ? options.DefaultTimeout : options.MaxTimeout;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
            ended.CancelAfter(timeout);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ApiMediaTypes.Json;
            // The headers go out now, before any event: clients wait for them to know the watch is open.
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(ended.Token);
            await response.Body.FlushAsync(ended.Token);
            await RunAsync(response, ended.Token);
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or silo stopping: the stream simply ends, and the client watches again.
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            ReadApiLog.WatchEndedUnavailable(logger, @namespace ?? "all namespaces", e);
        }
        finally
        {
            limiter.Exit();
        }
    }

    private async Task RunAsync(HttpResponse response, CancellationToken cancellation)
    {
        var since = ResourceVersions.Parse(list.ResourceVersion);
        var known = new Dictionary<string, (ulong Version, JsonObject Object)>(StringComparer.Ordinal);
        var highest = since;
        var lastSent = time.GetUtcNow();
        var first = true;
        while (true)
        {
            var events = new List<(string Type, JsonObject Object)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in await store.ListAsync(@namespace))
            {
                var version = ResourceVersions.Parse(resource.Metadata.ResourceVersion);
                highest = Math.Max(highest, version);
                if (!Selected(resource))
                {
                    continue;
                }

                seen.Add(resource.Key);
                var had = known.TryGetValue(resource.Key, out var previous);
                if (had && previous.Version == version)
                {
                    continue;
                }

                var node = GatewaySyncSerializer.ToNode(resource);
                known[resource.Key] = (version, node);
                if (first)
                {
                    if (since == 0)
                    {
                        events.Add((WatchEventTypes.Added, node));
                    }
                    else if (version > since)
                    {
                        // Created after the client's version: new to it; otherwise a change of something it has.
                        events.Add((CreatedAfter(resource, since) ? WatchEventTypes.Added : WatchEventTypes.Modified, node));
                    }
                }
                else
                {
                    events.Add((!had ? WatchEventTypes.Added : WatchEventTypes.Modified, node));
                }
            }

            foreach (var gone in known.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                events.Add((WatchEventTypes.Deleted, known[gone].Object));
                known.Remove(gone);
            }

            first = false;
            var now = time.GetUtcNow();
            if (events.Count > 0)
            {
                await WriteAsync(response, events.Select(e => Event(e.Type, e.Object)), cancellation);
                lastSent = now;
            }
            else if (list.AllowWatchBookmarks && now - lastSent >= options.BookmarkInterval)
            {
                await WriteAsync(response, [Bookmark(highest)], cancellation);
                lastSent = now;
            }

            await Task.Delay(options.PollInterval, time, cancellation);
        }
    }

    // creationTimestamp has whole seconds: a resource created in the same second as the client's version counts as
    // new only when it is strictly later, so a client never gets ADDED for something it already listed.
    private static bool CreatedAfter(GatewaySync resource, ulong since) =>
        resource.Metadata.CreationTimestamp is { } created && created > ResourceVersions.ToTime(since);

    private bool Selected(GatewaySync resource) =>
        list.Fields.Matches(resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, resource.Metadata.Name)
        && list.Labels.Matches(resource.Metadata.Labels);

    private JsonObject Event(string type, JsonObject resource) => new()
    {
        ["type"] = type,
        ["object"] = tables is not null && table is not null
            ? tables.Write(table, [resource], (string?)resource["metadata"]?["resourceVersion"])
            : resource.DeepClone(),
    };

    private JsonObject Bookmark(ulong version)
    {
        var resourceVersion = ResourceVersions.Format(version == 0 ? ResourceVersions.FromTime(time.GetUtcNow()) : version);
        JsonObject body = tables is not null && table is not null
            ? tables.Write(table, [], resourceVersion)
            : new JsonObject { ["kind"] = GatewaySync.KindValue, ["apiVersion"] = GatewaySync.ApiVersionValue, ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion } };
        return new JsonObject { ["type"] = WatchEventTypes.Bookmark, ["object"] = body };
    }

    private static async Task WriteAsync(HttpResponse response, IEnumerable<JsonObject> events, CancellationToken cancellation)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(e.ToJsonString(ResourceJson.Options)).Append('\n');
        }

        await response.WriteAsync(text.ToString(), cancellation);
        await response.Body.FlushAsync(cancellation);
    }
}
