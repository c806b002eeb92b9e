using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Events;
using Stoker.Grains.GatewaySyncs;
using Stoker.Grains.Gateways;
using Stoker.Grains.Gateways.Identity;
using Stoker.Grains.Git;
using Stoker.Grains.Secrets;
using Stoker.Grains.Secrets.GitHubApp;

namespace Stoker.Grains;

public static class StokerGrainsServiceCollectionExtensions
{
    /// <summary>Registers what the grains depend on: ref resolution, the Secret store, the clock, session settings.</summary>
    public static IServiceCollection AddStokerGrains(this IServiceCollection services, Action<StokerGrainsOptions>? configure = null)
    {
        var options = new StokerGrainsOptions();
        configure?.Invoke(options);
        if (options.AgentSessionExpiry <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.AgentSessionExpiry, "AgentSessionExpiry must be positive");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRefResolver, LibGit2RefResolver>();
        services.TryAddSingleton<IGatewaySyncStatusSink, NullGatewaySyncStatusSink>();
        services.TryAddSingleton<IGatewaySyncEventSink, NullGatewaySyncEventSink>();
        services.TryAddSingleton<IAgentRegistrationVerifier, AllowAllRegistrationVerifier>();
        services.TryAddSingleton<ISecretStore>(new FileSecretStore(options.SecretsPath));
        // Bound to Stoker:GitHubApp by the silo's host (docs/private-repositories.md, "GitHub App").
        services.AddOptions<GitHubAppOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitHubAppOptions>, GitHubAppOptionsValidator>());
        services.TryAddSingleton<IGitHubAppTokens, GitHubAppTokens>();
        services.TryAddSingleton<IGitCredentialSource, GitCredentialSource>();
        services.TryAddSingleton<Audit.IAuditSink, Audit.NullAuditSink>();
        services.Configure<GatewaySessionOptions>(o => o.Expiry = options.AgentSessionExpiry);
        return services;
    }
}
