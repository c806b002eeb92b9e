using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Events;

namespace Stoker.Silo.Kubernetes.Events;

public static class KubernetesEventsExtensions
{
    /// <summary>
    /// Kubernetes mode's event sink: the <see cref="KubernetesEventRecorder"/> replaces the local-mode null sink for the
    /// grains and the webhook receiver, and runs its writer as a hosted service. Needs the API client
    /// (<see cref="StokerKubernetesExtensions.AddStokerKubernetes"/> calls this).
    /// </summary>
    public static IServiceCollection AddStokerKubernetesEvents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KubernetesEventOptions>()
            .Bind(configuration.GetSection(KubernetesEventOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesEventOptions>, KubernetesEventOptionsValidator>());
        services.AddSingleton<KubernetesEventRecorder>();
        services.RemoveAll<IGatewaySyncEventSink>();
        services.AddSingleton<IGatewaySyncEventSink>(sp => sp.GetRequiredService<KubernetesEventRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesEventRecorder>());
        return services;
    }
}
