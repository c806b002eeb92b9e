using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Hosting;
using Stoker.Silo.Kubernetes;

namespace Stoker.Silo.Security;

public static class AgentCredentialExtensions
{
    /// <summary>
    /// The settings of the silo's per-call agent check (<see cref="ClientCallFilter"/>) and, in local mode, the signed
    /// agent tokens: the signing key is read (or created, on first start) here, so a bad key file stops the silo at
    /// start naming the file. Kubernetes mode replaces the verifier (<c>AddStokerAgentIdentity</c>).
    /// </summary>
    public static IHostApplicationBuilder AddStokerAgentCredentials(this IHostApplicationBuilder builder, StokerSiloOptions silo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(silo);
        var options = builder.Configuration.GetSection(AgentCredentialOptions.SectionName).Get<AgentCredentialOptions>() ?? new AgentCredentialOptions();
        var validation = new AgentCredentialOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(AgentCredentialOptions.SectionName, typeof(AgentCredentialOptions), validation.Failures);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(options));
        if (SiloModeResolver.Resolve(builder.Configuration) == SiloMode.Kubernetes)
        {
            return builder;
        }

        var keyFile = options.AgentTokenKeyFile is { Length: > 0 } file ? file : StokerStateFolder.AgentTokenKeyFile(silo.EffectiveStatePath);
        builder.Services.AddSingleton(new AgentTokenCodec(AgentTokenKey.LoadOrCreate(keyFile)));
        builder.Services.AddSingleton<IAgentCredentialVerifier, SignedAgentTokenVerifier>();
        builder.Services.AddSingleton<AgentTokenRevocationList>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentTokenRevocationList>());
        builder.Services.AddSingleton<AgentTokenIssuer>();
        return builder;
    }
}
