using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Stoker.Silo.Api.Secrets;

/// <summary>The routes and services of local mode's Secrets (core/v1) kept in the secrets folder (docs/kubectl.md).</summary>
public static class SecretsApiExtensions
{
    public static IServiceCollection AddStokerSecretsApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStokerSecretsApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
