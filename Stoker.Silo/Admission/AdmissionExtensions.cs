using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoker.Silo.Api;
using Stoker.Silo.Hosting;

namespace Stoker.Silo.Admission;

public static class AdmissionExtensions
{
    /// <summary>
    /// Registers the admission webhooks: options from <c>Stoker:Admission</c> (the default agent image also from
    /// <c>DEFAULT_AGENT_IMAGE</c>), validated at start, and their HTTPS server, which starts only when
    /// <c>Stoker:Admission:Enabled</c> is true. The agent's cluster and service ids are the silo's
    /// (<c>Stoker:Silo</c>). Needs an <see cref="IGrainFactory"/>.
    /// </summary>
    public static IServiceCollection AddStokerAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AdmissionOptions>()
            .Bind(configuration.GetSection(AdmissionOptions.SectionName))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.DefaultAgentImage))
                {
                    o.DefaultAgentImage = configuration[AdmissionOptions.DefaultAgentImageEnvironmentVariable] is { Length: > 0 } image ? image : null;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdmissionOptions>, AdmissionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewaySyncStore>();
        services.TryAddSingleton(sp =>
        {
            var admission = sp.GetRequiredService<IOptions<AdmissionOptions>>().Value;
            var silo = configuration.GetSection(StokerSiloOptions.SectionName).Get<StokerSiloOptions>() ?? new StokerSiloOptions();
            return new AgentInjectionSettings(
                admission.SiloEndpoints ?? "",
                silo.ClusterId,
                silo.ServiceId,
                admission.DefaultAgentImage ?? AdmissionOptions.BuiltInAgentImage,
                admission.TokenAudience,
                admission.TokenExpirationSeconds,
                admission.WorkVolumeSizeLimit,
                admission.TmpVolumeSizeLimit,
                SiloCaPem(sp.GetService<Transport.SiloTransport>(), silo));
        });
        services.TryAddSingleton<PodAdmissionHandler>();
        services.TryAddSingleton<AdmissionEndpoint>();
        services.TryAddSingleton<AdmissionServer>();
        services.AddHostedService(sp => sp.GetRequiredService<AdmissionServer>());
        return services;
    }

    /// <summary>
    /// What injected agents trust: the CA of the silo's transport; in a process without Orleans ports (tests of the
    /// webhook alone) the file of <c>Stoker:Silo:Tls:CaFile</c>. <see langword="null"/>: agents connect over plain TCP.
    /// </summary>
    private static string? SiloCaPem(Transport.SiloTransport? transport, StokerSiloOptions silo)
    {
        if (transport is not null)
        {
            return transport.AllowInsecureAgents ? null : Pem(transport.Material.CaCertificates);
        }

        return silo.AllowInsecureAgents || silo.Tls.CaFile is not { Length: > 0 } file
            ? null
            : Pem(Grains.Interfaces.Security.SiloCertificateTrust.ReadPemFile(file, Transport.SiloTlsOptionsValidator.Setting(nameof(silo.Tls.CaFile))));
    }

    private static string Pem(System.Security.Cryptography.X509Certificates.X509Certificate2Collection certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    /// <summary>
    /// Maps <c>/mutate-v1-pod</c> and <c>/validate-stoker-io-v1alpha1-gatewaysync</c>. The admission server maps
    /// them on its own HTTPS port; they are not meant for the silo's plain HTTP port.
    /// </summary>
    public static IEndpointRouteBuilder MapStokerAdmission(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var endpoint = endpoints.ServiceProvider.GetRequiredService<AdmissionEndpoint>();
        endpoints.Map(AdmissionEndpoint.MutatePodPath, endpoint.HandlePodAsync).WithName("StokerMutatePod");
        endpoints.Map(AdmissionEndpoint.ValidateGatewaySyncPath, endpoint.HandleGatewaySyncAsync).WithName("StokerValidateGatewaySync");
        return endpoints;
    }
}
