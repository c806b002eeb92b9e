using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// How an Orleans client (the agent, and the tests' and benchmarks' clients) checks the silo on the gateway port
/// (docs/security.md, "Transport (TLS)"): the silo's chain must end at the given CA, never at the system's trust
/// store, and the certificate must carry the server name. The client presents no certificate of its own.
/// </summary>
public static partial class SiloTlsClient
{
    public static TlsOptions CreateOptions(X509Certificate2Collection ca, string serverName, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        return new TlsOptions
        {
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (certificate, chain, _) =>
            {
                // The platform's verdict (policy errors) judged the chain against the system store, which plays no part here.
                var problem = SiloCertificateTrust.Problem(certificate, chain?.ChainElements.Select(e => e.Certificate), ca, SiloCertificateTrust.ServerAuthenticationOid, serverName);
                if (problem is not null && logger is not null)
                {
                    SiloCertificateRefused(logger, problem);
                }

                return problem is null;
            },
            OnAuthenticateAsClient = (_, options) => options.TargetHost = serverName,
        };
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "The silo's TLS certificate was refused: {Problem}. SILO_CA_FILE (or SILO_CA) must hold the CA that issued it: a local silo's tls/ca.crt in its state folder, or the ca.crt of its cert-manager secret")]
    private static partial void SiloCertificateRefused(ILogger logger, string problem);
}
