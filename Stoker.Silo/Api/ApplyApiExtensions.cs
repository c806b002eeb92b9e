using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Api;

public static class ApplyApiExtensions
{
    /// <summary>
    /// Registers the local-mode resource sources: the apply API's services and, when <c>Stoker:Manifests:Path</c> is
    /// set, the manifests folder watcher. Needs an <see cref="IGrainFactory"/> (the silo's own, or a client's).
    /// </summary>
    public static IServiceCollection AddStokerApplyApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewaySyncStore>();
        services.AddSingleton<GatewaySyncEndpoints>();
        services.AddSingleton<GatewaySyncReadEndpoints>();
        Discovery.DiscoveryApiExtensions.AddStokerDiscoveryApi(services);
        Secrets.SecretsApiExtensions.AddStokerSecretsApi(services);
        Events.EventsApiExtensions.AddStokerEventsApi(services);
        services.AddOptions<ManifestsOptions>()
            .Bind(configuration.GetSection(ManifestsOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManifestsOptions>, ManifestsOptionsValidator>();
        services.AddSingleton<ManifestsFolderReconciler>();
        services.AddHostedService<ManifestsFolderWatcher>();
        return services;
    }

    /// <summary>Maps the GatewaySync routes under <c>/apis/stoker.io/v1alpha1</c>.</summary>
    public static IEndpointRouteBuilder MapStokerApplyApi(this IEndpointRouteBuilder endpoints)
    {
        GatewaySyncEndpoints.Map(endpoints);
        Discovery.DiscoveryApiExtensions.MapStokerDiscoveryApi(endpoints);
        Secrets.SecretsApiExtensions.MapStokerSecretsApi(endpoints);
        Events.EventsApiExtensions.MapStokerEventsApi(endpoints);
        return endpoints;
    }
}
