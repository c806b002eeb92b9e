namespace Stoker.Silo.Admission;

/// <summary>The silo-wide part of what an injected agent gets (from <see cref="AdmissionOptions"/> and the silo's ids).</summary>
public sealed record AgentInjectionSettings(
    string SiloEndpoints,
    string ClusterId,
    string ServiceId,
    string DefaultImage,
    string TokenAudience,
    int TokenExpirationSeconds,
    string WorkVolumeSizeLimit,
    string TmpVolumeSizeLimit);
