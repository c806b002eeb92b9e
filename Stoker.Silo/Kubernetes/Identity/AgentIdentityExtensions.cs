using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Gateways.Identity;
using Stoker.Silo.Security;

namespace Stoker.Silo.Kubernetes.Identity;

public static class AgentIdentityExtensions
{
    /// <summary>
    /// Replaces local mode's accept-all registration check and signed-token call check with the TokenReview check. Kubernetes mode only: needs the
    /// API client <see cref="StokerKubernetesExtensions.AddStokerKubernetes"/> registers.
    /// </summary>
    public static IServiceCollection AddStokerAgentIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AgentIdentityOptions>()
            .Bind(configuration.GetSection(AgentIdentityOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentIdentityOptions>, AgentIdentityOptionsValidator>();
        services.AddSingleton<TokenReviewRegistrationVerifier>();
        services.RemoveAll<IAgentRegistrationVerifier>();
        services.AddSingleton<IAgentRegistrationVerifier>(sp => sp.GetRequiredService<TokenReviewRegistrationVerifier>());
        // Every call from an agent, not only its registration, presents the token (docs/security.md, "Agent credentials").
        services.RemoveAll<IAgentCredentialVerifier>();
        services.AddSingleton<IAgentCredentialVerifier, TokenReviewCredentialVerifier>();
        return services;
    }
}
