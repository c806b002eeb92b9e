using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Transport;

internal static partial class SiloTransportLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Stoker:Silo:AllowInsecureAgents=true: the gateway port {GatewayPort} accepts agents over plain TCP, unencrypted; only for a trusted network. Silo-to-silo connections stay on TLS")]
    public static partial void InsecureAgents(ILogger logger, int gatewayPort);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "TLS on the gateway port {GatewayPort} and the silo port {SiloPort}: certificate \"{Subject}\" valid until {NotAfter:u}; agents need the CA in {CaFile} (SILO_CA_FILE)")]
    public static partial void TlsEnabled(ILogger logger, int gatewayPort, int siloPort, string subject, DateTime notAfter, string caFile);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Refused a silo-to-silo TLS connection ({Direction}): {Problem}. Silos of one cluster need certificates issued by the same CA (Stoker:Silo:Tls:CaFile, or a shared state folder)")]
    public static partial void PeerRefused(ILogger logger, string direction, string problem);
}
