using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Api;

/// <summary>
/// The GatewaySync reads of the apply API: list (all namespaces or one) and get, shaped like the Kubernetes API so
/// that kubectl and client libraries read them as they read the custom resource.
/// </summary>
public sealed class GatewaySyncReadEndpoints(GatewaySyncStore store, ILogger<GatewaySyncReadEndpoints> logger)
{
    /// <summary>Maps the read routes on the group-version route group <see cref="GatewaySyncEndpoints"/> made.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/" + GatewaySync.Plural, (GatewaySyncReadEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(null)));
        var collection = "/namespaces/{ns}/" + GatewaySync.Plural;
        api.MapGet(collection, (string ns, GatewaySyncReadEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(ns)));
        api.MapGet(collection + "/{name}", (string ns, string name, GatewaySyncReadEndpoints e, HttpRequest r) => e.Guard(r, () => e.GetAsync(ns, name)));
    }

    public async Task<IResult> ListAsync(string? ns)
    {
        if (ns is not null && GatewaySyncEndpoints.CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        var items = new JsonArray();
        foreach (var resource in await store.ListAsync(ns))
        {
            items.Add(GatewaySyncSerializer.ToNode(resource));
        }

        return new ApiResponse(StatusCodes.Status200OK, new JsonObject
        {
            ["apiVersion"] = GatewaySync.ApiVersionValue,
            ["kind"] = GatewaySyncEndpoints.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
            ["items"] = items,
        });
    }

    public async Task<IResult> GetAsync(string ns, string name)
    {
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        return await store.GetAsync(ns, name) is { } resource
            ? GatewaySyncEndpoints.Resource(StatusCodes.Status200OK, resource)
            : ApiResponse.From(ApiStatuses.NotFound(name));
    }

    private Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler) => ApiGuard.RunAsync(logger, request, handler);
}
