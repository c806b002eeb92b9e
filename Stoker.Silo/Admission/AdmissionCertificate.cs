using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Admission;

/// <summary>
/// The webhook's serving certificate from PEM files, read again when their content changes: cert-manager renews
/// the mounted Secret in place and the API server must never see an expired certificate. A renewal caught half
/// written keeps the previous certificate until the next look.
/// </summary>
public sealed partial class AdmissionCertificate : IDisposable
{
    /// <summary>How often the files are looked at again (on a TLS handshake, never in the background).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(10);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;
    private byte[] _fingerprint;
    private DateTimeOffset _checkedAt;

    public AdmissionCertificate(string certificatePath, string keyPath, TimeProvider time, ILogger logger)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _time = time;
        _logger = logger;
        // At start a missing or unreadable file is fatal, naming the setting: the webhook cannot serve without it.
        (_current, _fingerprint) = Load(certificatePath, keyPath);
        _checkedAt = time.GetUtcNow();
    }

    public X509Certificate2 Current
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (now - _checkedAt >= RecheckInterval)
                {
                    _checkedAt = now;
                    Reload();
                }

                return _current;
            }
        }
    }

    public void Dispose() => _current.Dispose();

    private void Reload()
    {
        try
        {
            var fingerprint = Fingerprint(File.ReadAllBytes(_certificatePath), File.ReadAllBytes(_keyPath));
            if (fingerprint.AsSpan().SequenceEqual(_fingerprint))
            {
                return;
            }

            var (certificate, loaded) = Load(_certificatePath, _keyPath);
            // The old certificate may still be in use by a handshake in flight; it is left to the finalizer.
            _current = certificate;
            _fingerprint = loaded;
            LogReloaded(_logger, _certificatePath, certificate.NotAfter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or AdmissionCertificateException)
        {
            LogReloadFailed(_logger, _certificatePath, e);
        }
    }

    private static (X509Certificate2 Certificate, byte[] Fingerprint) Load(string certificatePath, string keyPath)
    {
        try
        {
            var certificateBytes = File.ReadAllBytes(certificatePath);
            var keyBytes = File.ReadAllBytes(keyPath);
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return (certificate, Fingerprint(certificateBytes, keyBytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new AdmissionCertificateException(
                $"{AdmissionOptions.SectionName}:{nameof(AdmissionOptions.CertificatePath)} \"{certificatePath}\" / {nameof(AdmissionOptions.KeyPath)} \"{keyPath}\": cannot load the webhook's PEM certificate and key: {e.Message}", e);
        }
    }

    private static byte[] Fingerprint(byte[] certificate, byte[] key) => SHA256.HashData([.. certificate, .. key]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admission webhook certificate {Path} reloaded; valid until {NotAfter}")]
    private static partial void LogReloaded(ILogger logger, string path, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission webhook certificate {Path} changed but cannot be loaded; serving the previous one")]
    private static partial void LogReloadFailed(ILogger logger, string path, Exception exception);
}
