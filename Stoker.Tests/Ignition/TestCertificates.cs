using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.Tests.Ignition;

/// <summary>Throw-away certificates for <c>localhost</c>/<c>127.0.0.1</c>: a CA with a server certificate it issued, and a self-signed one.</summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 authority, X509Certificate2 issued, X509Certificate2 selfSigned)
    {
        Authority = authority;
        Issued = issued;
        SelfSigned = selfSigned;
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A server certificate issued by <see cref="Authority"/>, with its private key.</summary>
    public X509Certificate2 Issued { get; }

    /// <summary>A server certificate that signs itself, as Ignition's default certificate does.</summary>
    public X509Certificate2 SelfSigned { get; }

    public static TestCertificates Create()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=Stoker Test CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = ServerRequest("CN=localhost", serverKey);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var issuedPublic = serverRequest.Create(authority, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        var issued = issuedPublic.CopyWithPrivateKey(serverKey);

        using var selfKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var selfSigned = ServerRequest("CN=Ignition self-signed", selfKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return new TestCertificates(authority, issued, selfSigned);
    }

    public string WritePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    public void Dispose()
    {
        Authority.Dispose();
        Issued.Dispose();
        SelfSigned.Dispose();
    }

    private static CertificateRequest ServerRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }
}
