using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Stoker.Silo.Api.Discovery;

/// <summary>The routes and services of discovery (/api, /apis, /version) and the OpenAPI documents kubectl reads (docs/kubectl.md).</summary>
public static class DiscoveryApiExtensions
{
    public static IServiceCollection AddStokerDiscoveryApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStokerDiscoveryApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
