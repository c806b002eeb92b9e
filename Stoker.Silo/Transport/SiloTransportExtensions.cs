using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Silo.Transport;

/// <summary>TLS on the silo's Orleans ports (docs/security.md, "Transport (TLS)").</summary>
public static class SiloTransportExtensions
{
    /// <summary>
    /// Secures the silo port both ways and the gateway port inbound. Orleans' own <c>UseTls</c> applies one set of options
    /// to both inbound ports; the ports want different ones, so each is configured here with the same middleware:
    /// <list type="bullet">
    /// <item>silo-to-silo is mutual: each silo presents its certificate and checks the peer's chain against the CA (and,
    /// connecting out, the name <c>stoker-silo</c>), so a silo of another CA can neither join nor be joined;</item>
    /// <item>the gateway port presents the certificate and asks agents for none: agents have no certificates and prove
    /// who they are per call instead; with <see cref="SiloTransport.AllowInsecureAgents"/> it stays plain TCP.</item>
    /// </list>
    /// </summary>
    public static ISiloBuilder UseStokerTransport(this ISiloBuilder builder, SiloTransport transport)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(transport);
        builder.Services.AddSingleton(transport);
        builder.Services.AddHostedService<SiloTransportStartupLog>();
        builder.Services.AddOptions<SiloConnectionOptions>().Configure<ILoggerFactory>((connections, logs) =>
        {
            var logger = logs.CreateLogger(typeof(SiloTransportExtensions).FullName!);
            var material = transport.Material;
            var inbound = new TlsOptions
            {
                LocalCertificate = material.Certificate,
                RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
                RemoteCertificateValidation = (certificate, chain, _) => Accept(logger, "inbound", certificate, chain, material, SiloCertificateTrust.ClientAuthenticationOid, null),
            };
            var outbound = new TlsOptions
            {
                LocalCertificate = material.Certificate,
                RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
                RemoteCertificateValidation = (certificate, chain, _) =>
                    Accept(logger, "outbound", certificate, chain, material, SiloCertificateTrust.ServerAuthenticationOid, SiloCertificateTrust.DefaultServerName),
                OnAuthenticateAsClient = (_, options) => options.TargetHost = SiloCertificateTrust.DefaultServerName,
            };
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(inbound));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(outbound));
            if (!transport.AllowInsecureAgents)
            {
                var gateway = new TlsOptions { LocalCertificate = material.Certificate, RemoteCertificateMode = RemoteCertificateMode.NoCertificate };
                connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(gateway));
            }
        });
        return builder;
    }

    private static bool Accept(ILogger logger, string direction, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SiloTlsMaterial material, string usage, string? serverName)
    {
        // The platform's verdict (policy errors) judged the chain against the system store, which plays no part here.
        var problem = SiloCertificateTrust.Problem(certificate, chain?.ChainElements.Select(e => e.Certificate), material.CaCertificates, usage, serverName);
        if (problem is null)
        {
            return true;
        }

        SiloTransportLog.PeerRefused(logger, direction, problem);
        return false;
    }
}
