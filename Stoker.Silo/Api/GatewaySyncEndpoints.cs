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

        // Reads (list, get, watch, tables) are GatewaySyncReadEndpoints'; writes are here.
        GatewaySyncReadEndpoints.Map(api);
        var collection = "/namespaces/{ns}/" + GatewaySync.Plural;
        api.MapPost(collection, (string ns, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.CreateAsync(ns, r)));
        var item = collection + "/{name}";
        api.MapPut(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.ReplaceAsync(ns, name, r)));
        api.MapDelete(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.DeleteAsync(ns, name)));
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
    internal static ApiResponse? CheckUrlName(string what, string value) =>
        KubernetesNames.IsDnsSubdomain(value, out var rule)
            ? null
            : ApiResponse.From(ApiStatuses.BadRequest($"{what} \"{value}\" in the URL: {rule}"));

    internal static ApiResponse Resource(int statusCode, GatewaySync resource) => new(statusCode, GatewaySyncSerializer.ToNode(resource));

    private Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler) => ApiGuard.RunAsync(logger, request, handler);
}
