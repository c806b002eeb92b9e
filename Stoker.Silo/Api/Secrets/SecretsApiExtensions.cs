using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Stoker.Silo.Api.Secrets;

/// <summary>The routes and services of local mode's Secrets (core/v1) kept in the secrets folder (docs/kubectl-writes.md).</summary>
public static class SecretsApiExtensions
{
    public static IServiceCollection AddStokerSecretsApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions();
        services.AddSingleton<SecretFolderStore>();
        services.AddSingleton<SecretEndpoints>();

        // Local mode: the registry knows the GatewaySyncs of a namespace (Kubernetes mode registers its own, from its watch).
        services.TryAddSingleton(sp =>
        {
            var grains = sp.GetRequiredService<IGrainFactory>();
            return new Stoker.Silo.Secrets.SecretChangeNotifier(
                grains,
                ns => grains.GetGrain<Stoker.Grains.Interfaces.Grains.IGatewaySyncRegistryGrain>(Stoker.Grains.Interfaces.Grains.IGatewaySyncRegistryGrain.AllKey).List(ns),
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Stoker.Silo.Secrets.SecretChangeNotifier>>());
        });
        return services;
    }

    public static IEndpointRouteBuilder MapStokerSecretsApi(this IEndpointRouteBuilder endpoints)
    {
        SecretEndpoints.Map(endpoints);
        return endpoints;
    }
}
