using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Silo.Hosting;

namespace Stoker.Silo.Transport;

/// <summary>Says once at start how the Orleans ports are secured; a warning when agents may use plain TCP.</summary>
internal sealed class SiloTransportStartupLog(SiloTransport transport, IOptions<StokerSiloOptions> silo, ILogger<SiloTransportStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = silo.Value;
        if (transport.AllowInsecureAgents)
        {
            SiloTransportLog.InsecureAgents(logger, options.GatewayPort);
        }
        else
        {
            var certificate = transport.Material.Certificate;
            SiloTransportLog.TlsEnabled(logger, options.GatewayPort, options.SiloPort, certificate.Subject, certificate.NotAfter.ToUniversalTime(), transport.Material.CaFile);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
