using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.Tests.Admission;

/// <summary>A self-signed serving certificate for 127.0.0.1/localhost, written as the PEM files a mounted Secret holds.</summary>
internal static class TestCertificate
{
    /// <summary>Writes <c>tls.crt</c> and <c>tls.key</c> into <paramref name="folder"/> and returns the certificate's SHA-256 thumbprint.</summary>
    public static string Write(string folder, string subject = "stoker-webhook")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        // Written to a temporary name and moved, as the kubelet swaps a Secret's files, so a reader never sees half a file.
        WriteAtomically(Path.Combine(folder, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(Path.Combine(folder, "tls.crt"), certificate.ExportCertificatePem());
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
