namespace Stoker.Silo.Admission;

/// <summary>
/// The silo-wide part of what an injected agent gets (from <see cref="AdmissionOptions"/> and the silo's ids).
/// <see cref="SiloCa"/> is the PEM of the CA that issued the silo's certificate (<c>SILO_CA</c>); <see langword="null"/>
/// when the silo takes agents over plain TCP (<c>Stoker:Silo:AllowInsecureAgents</c>: the agent gets <c>SILO_ALLOW_INSECURE</c>).
/// </summary>
public sealed record AgentInjectionSettings(
    string SiloEndpoints,
    string ClusterId,
    string ServiceId,
    string DefaultImage,
    string TokenAudience,
    int TokenExpirationSeconds,
    string WorkVolumeSizeLimit,
    string TmpVolumeSizeLimit,
    string? SiloCa);
