using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Events;

namespace Stoker.Silo.Api.Events;

/// <summary>The routes and services of local mode's Events (core/v1) about GatewaySyncs, for kubectl describe (docs/kubectl.md).</summary>
public static class EventsApiExtensions
{
    /// <summary>
    /// Local mode's event sink (<see cref="LocalEventRecorder"/>) in place of the null one, and the Events routes'
    /// services. Kubernetes mode (registered after this) replaces the sink with its recorder again.
    /// </summary>
    public static IServiceCollection AddStokerEventsApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LocalEventOptions>()
            .BindConfiguration(LocalEventOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalEventOptions>, LocalEventOptionsValidator>());
        services.AddSingleton<LocalEventRecorder>();
        services.RemoveAll<IGatewaySyncEventSink>();
        services.AddSingleton<IGatewaySyncEventSink>(sp => sp.GetRequiredService<LocalEventRecorder>());
        services.AddSingleton<EventsEndpoints>();
        return services;
    }

    public static IEndpointRouteBuilder MapStokerEventsApi(this IEndpointRouteBuilder endpoints)
    {
        EventsEndpoints.Map(endpoints);
        return endpoints;
    }
}
