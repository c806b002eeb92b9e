namespace Stoker.Silo.Transport;

/// <summary>How the silo's Orleans ports are secured, for the start-up log and <c>/readyz</c>'s detail.</summary>
/// <param name="Material">The certificate and the CA on both ports (silo-to-silo connections always use TLS).</param>
/// <param name="AllowInsecureAgents">Whether the gateway port takes plain TCP (<c>Stoker:Silo:AllowInsecureAgents</c>).</param>
public sealed record SiloTransport(SiloTlsMaterial Material, bool AllowInsecureAgents)
{
    /// <summary>One line: what agents connect over and which CA they must be given.</summary>
    public string Describe() => AllowInsecureAgents
        ? "agents: plain TCP (Stoker:Silo:AllowInsecureAgents=true; unencrypted, anyone on the network can read and inject); silos: TLS"
        : $"agents and silos: TLS (CA {Material.CaFile}, silo certificate valid until {Material.Certificate.NotAfter.ToUniversalTime():u})";
}
