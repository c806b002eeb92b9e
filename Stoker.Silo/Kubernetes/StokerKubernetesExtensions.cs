using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoker.Grains.GatewaySyncs;
using Stoker.Grains.Secrets;
using Stoker.Silo.Api;
using Stoker.Silo.Kubernetes.Events;
using Stoker.Silo.Kubernetes.Identity;

namespace Stoker.Silo.Kubernetes;

public static class StokerKubernetesExtensions
{
    /// <summary>
    /// In Kubernetes mode (<see cref="SiloModeResolver"/>): the API client, the leader-elected GatewaySync watch and the
    /// status writer that replaces the grains' local-only status sink, and the Secret store that reads Secrets through the
    /// API instead of the secrets folder. In Local mode nothing is registered, so the
    /// silo behaves exactly as without this call. Call after <c>AddStokerSilo</c> and <c>AddStokerApplyApi</c>.
    /// </summary>
    public static IServiceCollection AddStokerKubernetes(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (SiloModeResolver.Resolve(configuration) != SiloMode.Kubernetes)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewaySyncStore>();
        services.AddOptions<StokerKubernetesOptions>()
            .Bind(configuration.GetSection(StokerKubernetesOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StokerKubernetesOptions>, StokerKubernetesOptionsValidator>();
        services.AddSingleton(sp => KubernetesClientFactory.Create(sp.GetRequiredService<IOptions<StokerKubernetesOptions>>().Value));
        services.AddSingleton<KubernetesStatusWriter>();
        services.RemoveAll<IGatewaySyncStatusSink>();
        services.AddSingleton<IGatewaySyncStatusSink>(sp => sp.GetRequiredService<KubernetesStatusWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesStatusWriter>());
        services.AddStokerKubernetesEvents(configuration);
        services.AddSingleton<GatewaySyncEventHandler>();
        services.AddSingleton<Discovery.PodDiscoveryHandler>();
        services.AddSingleton<ILeaderWatch, Discovery.PodWatch>();
        services.AddSingleton<GatewaySyncWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewaySyncWatcher>());
        services.AddStokerAgentIdentity(configuration);

        // Secrets through the API (watched, metadata only) instead of the local mode's folder: the one ISecretStore.
        services.AddSingleton<Secrets.KubernetesSecretStore>();
        services.RemoveAll<ISecretStore>();
        services.AddSingleton<ISecretStore>(sp => sp.GetRequiredService<Secrets.KubernetesSecretStore>());
        services.AddSingleton(sp =>
        {
            // The GatewaySync watch runs on the leader: its notifications are the ones that reach the grains.
            var handler = sp.GetRequiredService<GatewaySyncEventHandler>();
            return new Stoker.Silo.Secrets.SecretChangeNotifier(
                sp.GetRequiredService<IGrainFactory>(), ns => Task.FromResult(handler.KeysIn(ns)), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Stoker.Silo.Secrets.SecretChangeNotifier>>());
        });
        services.AddHostedService<Secrets.SecretMetadataWatch>();
        return services;
    }
}
