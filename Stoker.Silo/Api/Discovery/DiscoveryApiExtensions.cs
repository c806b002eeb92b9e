using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stoker.Silo.Api.OpenApi;
using Stoker.Silo.Api.Watch;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Api.Discovery;

/// <summary>
/// The routes and services of the kubectl read side (docs/kubectl-reads.md): discovery (<c>/api</c>, <c>/apis</c>),
/// <c>/version</c>, the OpenAPI documents, and the watch settings the GatewaySync reads use.
/// </summary>
public static class DiscoveryApiExtensions
{
    public static IServiceCollection AddStokerDiscoveryApi(this IServiceCollection services)
    {
        services.AddSingleton<DiscoveryDocuments>();
        services.AddSingleton<OpenApiDocuments>();
        services.AddSingleton<NamespaceEndpoints>();
        services.AddOptions<WatchOptions>().BindConfiguration(WatchOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WatchOptions>, WatchOptionsValidator>();
        services.AddSingleton<WatchLimiter>();
        return services;
    }

    public static IEndpointRouteBuilder MapStokerDiscoveryApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var routes = endpoints.MapGroup("").WithMetadata(ApiAccess.Discovery);
        if (endpoints.ServiceProvider.HasStokerApiAuthentication())
        {
            routes.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        NamespaceEndpoints.Map(endpoints);
        routes.MapGet("/version", (DiscoveryDocuments d) => new ApiResponse(StatusCodes.Status200OK, d.Version.DeepClone()));
        routes.MapGet("/api", (HttpRequest r) => new ApiResponse(StatusCodes.Status200OK, DiscoveryDocuments.CoreVersions(r.Host.Value ?? "")));
        routes.MapGet("/api/v1", (DiscoveryDocuments d) => new ApiResponse(StatusCodes.Status200OK, d.CoreResources.DeepClone()));
        routes.MapGet("/apis", (DiscoveryDocuments d) => new ApiResponse(StatusCodes.Status200OK, d.Groups.DeepClone()));
        routes.MapGet("/apis/" + Grains.Interfaces.Resources.GatewaySync.Group, (DiscoveryDocuments d) => new ApiResponse(StatusCodes.Status200OK, d.Group.DeepClone()));
        routes.MapGet(GatewaySyncEndpoints.GroupVersionPath, (DiscoveryDocuments d) => new ApiResponse(StatusCodes.Status200OK, d.GroupVersion.DeepClone()));
        routes.MapGet("/openapi/v2", (OpenApiDocuments o, HttpRequest r) => WantsProtobuf(r) ? o.V2Protobuf : o.V2);
        routes.MapGet("/openapi/v3", (OpenApiDocuments o) => o.V3Index);
        routes.MapGet("/openapi/v3/{**path}", (string path, OpenApiDocuments o) =>
            o.V3.TryGetValue(path, out var document) ? (IResult)document : ApiResponse.From(NotFound(path)));
        return endpoints;
    }

    // client-go asks for protobuf only; browsers and curl get JSON. The media type's '@' is not a token character,
    // so header parsers refuse it: the Accept entries are compared as text.
    private static bool WantsProtobuf(HttpRequest request) =>
        request.Headers.Accept.SelectMany(h => (h ?? "").Split(','))
            .Select(a => a.Split(';')[0].Trim())
            .Any(a => a.Equals(OpenApiDocuments.ProtobufV2MediaType, StringComparison.OrdinalIgnoreCase)
                || a.Equals(OpenApiDocuments.ProtobufV2ContentType, StringComparison.OrdinalIgnoreCase));

    private static ApiStatus NotFound(string path) => new()
    {
        Code = StatusCodes.Status404NotFound,
        Reason = ApiStatuses.ReasonNotFound,
        Message = $"the server could not find the requested resource: no OpenAPI v3 document for \"{path}\" (served: {OpenApiDocuments.StokerGroupVersionPath}, {OpenApiDocuments.CoreGroupVersionPath})",
    };
}
