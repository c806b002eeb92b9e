using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Silo.Transport;

/// <summary>
/// The local mode's private CA (docs/security.md, "Transport (TLS)"): ECDSA P-256 keys, a CA that signs nothing but
/// silo certificates, and silo certificates that serve both ends of a TLS connection (silos connect to each other).
/// </summary>
public static class SiloCertificateAuthority
{
    /// <summary>Long enough that a local installation never meets it; replacing the CA means handing agents the new one.</summary>
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);

    /// <summary>A silo certificate lives a year and is renewed at a start within <see cref="RenewBefore"/> of its end.</summary>
    public static readonly TimeSpan SiloValidity = TimeSpan.FromDays(365);

    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>Clocks of a cluster's hosts disagree a little: a certificate is valid from slightly before it was made.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A new self-signed CA certificate with its key.</summary>
    public static X509Certificate2 CreateCa(DateTimeOffset now, string hostName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN=Stoker local CA ({Sanitize(hostName)}), O=Stoker"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now - ClockSkew, now + CaValidity);
    }

    /// <summary>
    /// A silo certificate issued by <paramref name="ca"/> (which must hold its key), valid for <paramref name="dnsNames"/>
    /// and <paramref name="addresses"/>, for server and client authentication, with its key.
    /// </summary>
    public static X509Certificate2 IssueSiloCertificate(X509Certificate2 ca, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ca);
        using var caKey = ca.GetECDsaPrivateKey() ?? throw new ArgumentException("the CA certificate carries no ECDSA private key", nameof(ca));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses.Distinct())
        {
            names.AddIpAddress(address);
        }

        var request = new CertificateRequest(new X500DistinguishedName($"CN={SiloCertificateTrust.DefaultServerName}, O=Stoker"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(SiloCertificateTrust.ServerAuthenticationOid), new Oid(SiloCertificateTrust.ClientAuthenticationOid)], critical: false));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = now + SiloValidity < ca.NotAfter ? now + SiloValidity : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now - ClockSkew, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A host name as it may stand in a distinguished name: no separators that would start another attribute.</summary>
    private static string Sanitize(string text) =>
        new([.. text.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_').Take(64)]);
}
