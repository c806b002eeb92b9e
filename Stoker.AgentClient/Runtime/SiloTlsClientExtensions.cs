using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.AgentClient.Runtime;

public static class SiloTlsClientExtensions
{
    /// <summary>Connects over TLS to silos whose certificate chains to <paramref name="ca"/> and carries <paramref name="serverName"/>.</summary>
    public static IClientBuilder UseSiloTls(this IClientBuilder builder, X509Certificate2Collection ca, string serverName = SiloCertificateTrust.DefaultServerName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ClientConnectionOptions>().Configure<ILoggerFactory>((connections, logs) =>
        {
            var options = SiloTlsClient.CreateOptions(ca, serverName, logs.CreateLogger(typeof(SiloTlsClient).FullName!));
            connections.ConfigureConnection(connection => connection.UseClientTls(options));
        });
        return builder;
    }
}
