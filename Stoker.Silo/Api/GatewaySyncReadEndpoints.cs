using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api.Lists;
using Stoker.Silo.Api.Tables;
using Stoker.Silo.Api.Watch;

namespace Stoker.Silo.Api;

/// <summary>
/// The GatewaySync reads of the apply API: list (all namespaces or one) and get, shaped like the Kubernetes API so
/// that kubectl and client libraries read them as they read the custom resource: label and field selectors, watch
/// streams, and Tables with the CRD's printer columns when the client asks for them (docs/kubectl-reads.md).
/// Without those query parameters and Accept types, answers are the plain JSON (or YAML) they always were.
/// </summary>
public sealed class GatewaySyncReadEndpoints(
    GatewaySyncStore store,
    TimeProvider time,
    IOptions<WatchOptions> watchOptions,
    WatchLimiter watches,
    IHostApplicationLifetime lifetime,
    ILogger<GatewaySyncReadEndpoints> logger)
{
    private readonly TableWriter _tables = new(TableWriter.FromCrdVersion(CrdSchema.GatewaySync.Version), time);

    /// <summary>Maps the read routes on the group-version route group <see cref="GatewaySyncEndpoints"/> made.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/" + GatewaySync.Plural, (GatewaySyncReadEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(null, r)));
        var collection = "/namespaces/{ns}/" + GatewaySync.Plural;
        api.MapGet(collection, (string ns, GatewaySyncReadEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(ns, r)));
        api.MapGet(collection + "/{name}", (string ns, string name, GatewaySyncReadEndpoints e, HttpRequest r) => e.Guard(r, () => e.GetAsync(ns, name, r)));
    }

    public async Task<IResult> ListAsync(string? ns, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ns is not null && GatewaySyncEndpoints.CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        if (ReadOptions(request, out var options, out var table) is { } invalid)
        {
            return invalid;
        }

        return options!.Watch ? StartWatch(ns, options, table) : await ListAsync(ns, options, table);
    }

    public async Task<IResult> GetAsync(string ns, string name, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        if (ReadOptions(request, out var options, out var table) is { } invalid)
        {
            return invalid;
        }

        if (options!.Watch)
        {
            // The deprecated watch of one object by URL: the same as a collection watch pinned to its name.
            var pinned = FieldSelector.Parse("metadata.name=" + name, out _)!;
            return StartWatch(ns, options with { Fields = pinned }, table);
        }

        if (await store.GetAsync(ns, name) is not { } resource)
        {
            return ApiResponse.From(ApiStatuses.NotFound(name));
        }

        return table is null
            ? GatewaySyncEndpoints.Resource(StatusCodes.Status200OK, resource)
            : new ApiResponse(StatusCodes.Status200OK, _tables.Write(table, [GatewaySyncSerializer.ToNode(resource)], resource.Metadata.ResourceVersion));
    }

    private async Task<IResult> ListAsync(string? ns, ListOptions options, TableRequest? table)
    {
        var resources = await store.ListAsync(ns);

        // The list's version is the newest of what the store holds in this scope, so a watch from it misses nothing
        // the list did not show; an empty scope gets "now" (versions are microseconds since the epoch).
        var highest = resources.Count == 0
            ? ResourceVersions.FromTime(time.GetUtcNow())
            : resources.Max(r => ResourceVersions.Parse(r.Metadata.ResourceVersion));
        var resourceVersion = ResourceVersions.Format(highest);
        var selected = resources
            .Where(r => options.Fields.Matches(r.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, r.Metadata.Name) && options.Labels.Matches(r.Metadata.Labels))
            .Select(GatewaySyncSerializer.ToNode)
            .ToList();
        if (table is not null)
        {
            return new ApiResponse(StatusCodes.Status200OK, _tables.Write(table, selected, resourceVersion));
        }

        return new ApiResponse(StatusCodes.Status200OK, new JsonObject
        {
            ["apiVersion"] = GatewaySync.ApiVersionValue,
            ["kind"] = GatewaySyncEndpoints.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["items"] = new JsonArray([.. selected]),
        });
    }

    private IResult StartWatch(string? ns, ListOptions options, TableRequest? table)
    {
        if (!watches.TryEnter())
        {
            ReadApiLog.TooManyWatches(logger, watches.Limit);
            return ApiResponse.From(new ApiStatus
            {
                Code = StatusCodes.Status429TooManyRequests,
                Reason = "TooManyRequests",
                Message = $"too many open watches (at most {watches.Limit}, Stoker:Watch:MaxConcurrentWatches); try again later",
            });
        }

        return new GatewaySyncWatch(store, ns, options, table is null ? null : _tables, table, watchOptions.Value, time, watches, logger, lifetime.ApplicationStopping);
    }

    private static ApiResponse? ReadOptions(HttpRequest request, out ListOptions? options, out TableRequest? table)
    {
        options = null;
        table = TableRequest.From(request, out var error);
        if (error is null)
        {
            options = ListOptions.From(request.Query, out error);
        }

        return error is null ? null : ApiResponse.From(ApiStatuses.BadRequest(error));
    }

    private Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler) => ApiGuard.RunAsync(logger, request, handler);
}
