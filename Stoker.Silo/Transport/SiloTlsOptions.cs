namespace Stoker.Silo.Transport;

/// <summary>
/// The silo's TLS material on the Orleans ports (section <c>Stoker:Silo:Tls</c>; docs/security.md, "Transport (TLS)").
/// All three PEM files together (in Kubernetes a cert-manager Certificate's secret: <c>tls.crt</c>, <c>tls.key</c>,
/// <c>ca.crt</c>), or none: then the silo keeps a private CA and its own certificate in its state folder.
/// </summary>
public sealed class SiloTlsOptions
{
    public const string SectionName = "Stoker:Silo:Tls";

    /// <summary>The silo's certificate (PEM), issued by the CA in <see cref="CaFile"/>, valid for <c>stoker-silo</c>.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The key of <see cref="CertificateFile"/> (PEM: PKCS#8, SEC1 or PKCS#1).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The CA (PEM; several certificates during a CA rotation) peers' certificates must chain to.</summary>
    public string? CaFile { get; set; }

    /// <summary>Whether the material comes from files rather than the state folder.</summary>
    public bool UsesFiles => CertificateFile is { Length: > 0 } || KeyFile is { Length: > 0 } || CaFile is { Length: > 0 };
}
