using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Api;

/// <summary>
/// The GatewaySync routes of the apply API, shaped like the Kubernetes API for the custom resource so that manifests,
/// URLs and habits carry over: create, replace, read, list and delete, answering with resources or Status objects.
/// </summary>
public sealed class GatewaySyncEndpoints(GatewaySyncStore store, ILogger<GatewaySyncEndpoints> logger)
{
    public const string GroupVersionPath = "/apis/" + GatewaySync.Group + "/" + GatewaySync.Version;
    public const string ListKind = GatewaySync.KindValue + "List";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // What the routes serve, for authorization (Stoker.Silo.Authentication); where the silo composed it, its
        // policy is required explicitly too, so the routes never run without the authorization middleware.
        var api = endpoints.MapGroup(GroupVersionPath).WithMetadata(ApiAccess.GatewaySyncs);
        if (endpoints.ServiceProvider.HasStokerApiAuthentication())
        {
            api.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        api.MapGet("/" + GatewaySync.Plural, (GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(null)));
        var collection = "/namespaces/{ns}/" + GatewaySync.Plural;
        api.MapGet(collection, (string ns, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(ns)));
        api.MapPost(collection, (string ns, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.CreateAsync(ns, r)));
        var item = collection + "/{name}";
        api.MapGet(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.GetAsync(ns, name)));
        api.MapPut(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.ReplaceAsync(ns, name, r)));
        api.MapDelete(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.DeleteAsync(ns, name)));
    }

    public async Task<IResult> ListAsync(string? ns)
    {
        if (ns is not null && CheckUrlName("namespace", ns) is { } bad)
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
            ["kind"] = ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
            ["items"] = items,
        });
    }

    public async Task<IResult> GetAsync(string ns, string name)
    {
        if ((CheckUrlName("namespace", ns) ?? CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        return await store.GetAsync(ns, name) is { } resource
            ? Resource(StatusCodes.Status200OK, resource)
            : ApiResponse.From(ApiStatuses.NotFound(name));
    }

    public async Task<IResult> CreateAsync(string ns, HttpRequest request)
    {
        if (CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        var (resource, error) = await ReadAsync(request, ns, null);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        var name = resource!.Metadata.Name!;
        if (await store.GetAsync(ns, name) is not null)
        {
            return ApiResponse.From(ApiStatuses.AlreadyExists(name));
        }

        var stored = await store.ApplyAsync(resource);
        ApplyApiLog.Applied(logger, stored.Key, "created", stored.Metadata.Generation);
        return Resource(StatusCodes.Status201Created, stored);
    }

    public async Task<IResult> ReplaceAsync(string ns, string name, HttpRequest request)
    {
        if ((CheckUrlName("namespace", ns) ?? CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        var (resource, error) = await ReadAsync(request, ns, name);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        var existed = await store.GetAsync(ns, name) is not null;
        var stored = await store.ApplyAsync(resource!);
        ApplyApiLog.Applied(logger, stored.Key, existed ? "configured" : "created", stored.Metadata.Generation);
        return Resource(existed ? StatusCodes.Status200OK : StatusCodes.Status201Created, stored);
    }

    public async Task<IResult> DeleteAsync(string ns, string name)
    {
        if ((CheckUrlName("namespace", ns) ?? CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        if (await store.DeleteAsync(ns, name) is not { } deleted)
        {
            return ApiResponse.From(ApiStatuses.NotFound(name));
        }

        ApplyApiLog.Deleted(logger, GrainKeys.GatewaySync(ns, name));
        return ApiResponse.From(ApiStatuses.Deleted(name, deleted.Metadata.Uid));
    }

    private static async Task<(GatewaySync? Resource, ApiStatus? Error)> ReadAsync(HttpRequest request, string ns, string? name)
    {
        var (text, error) = await ApiRequestBody.ReadAsync(request);
        if (error is not null)
        {
            return (null, error);
        }

        var read = ApplyRequestReader.Read(text!, ns, name);
        return (read.Resource, read.Error);
    }

    /// <summary>
    /// Names in the URL become grain keys (<c>{namespace}/{name}</c>), so they must be valid names before they are
    /// used; a decoded <c>%2F</c> would otherwise address another key.
    /// </summary>
    private static ApiResponse? CheckUrlName(string what, string value) =>
        KubernetesNames.IsDnsSubdomain(value, out var rule)
            ? null
            : ApiResponse.From(ApiStatuses.BadRequest($"{what} \"{value}\" in the URL: {rule}"));

    private static ApiResponse Resource(int statusCode, GatewaySync resource) => new(statusCode, GatewaySyncSerializer.ToNode(resource));

    /// <summary>A silo that does not answer is a 503 with a Status, as the API server answers when etcd is gone.</summary>
    private async Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            ApplyApiLog.Unavailable(logger, request.Method, request.Path, e);
            return ApiResponse.From(ApiStatuses.Unavailable($"the control plane did not answer ({e.GetType().Name}); try again"));
        }
    }
}
