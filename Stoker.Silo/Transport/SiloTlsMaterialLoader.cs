using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Hosting;

namespace Stoker.Silo.Transport;

/// <summary>
/// Finds the silo's TLS material (docs/security.md, "Transport (TLS)"): the files of <see cref="SiloTlsOptions"/>, or the
/// state folder's private CA and silo certificate, created on first start and reused after. A silo certificate within
/// <see cref="SiloCertificateAuthority.RenewBefore"/> of its end, not issued by the folder's CA or missing one of this
/// silo's names is issued anew; the CA itself is never replaced behind the operator's back (agents trust it).
/// </summary>
public static class SiloTlsMaterialLoader
{
    /// <summary>Silos sharing a state folder may start together: one creates, the others wait and reuse.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Certificates are public (agents under other users read <c>ca.crt</c>); keys are the owner's only.</summary>
    private const UnixFileMode CertificateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static SiloTlsMaterial Load(StokerSiloOptions silo, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(time);
        return silo.Tls.UsesFiles ? FromFiles(silo.Tls, time.GetUtcNow()) : FromStateFolder(silo.EffectiveStatePath, silo.AdvertisedAddress, time);
    }

    /// <summary>The names a generated silo certificate carries: the fixed server name, loopback, this host and the advertised address.</summary>
    public static (IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses) SiloNames(string? advertisedAddress)
    {
        var dns = new List<string> { SiloCertificateTrust.DefaultServerName, "localhost" };
        if (Dns.GetHostName() is { Length: > 0 } host && Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            dns.Add(host);
        }

        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (advertisedAddress is { Length: > 0 } && IPAddress.TryParse(advertisedAddress, out var advertised))
        {
            addresses.Add(advertised);
        }

        return (dns, addresses);
    }

    private static SiloTlsMaterial FromFiles(SiloTlsOptions tls, DateTimeOffset now)
    {
        var certificateSetting = SiloTlsOptionsValidator.Setting(nameof(tls.CertificateFile));
        var keySetting = SiloTlsOptionsValidator.Setting(nameof(tls.KeyFile));
        foreach (var (setting, path) in new[] { (certificateSetting, tls.CertificateFile!), (keySetting, tls.KeyFile!) })
        {
            if (!File.Exists(path))
            {
                throw new SiloTlsException($"{setting}: \"{path}\": the file does not exist");
            }
        }

        X509Certificate2Collection ca;
        try
        {
            ca = SiloCertificateTrust.ReadPemFile(tls.CaFile!, SiloTlsOptionsValidator.Setting(nameof(tls.CaFile)));
        }
        catch (FormatException e)
        {
            throw new SiloTlsException(e.Message, e);
        }

        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(tls.CertificateFile!, tls.KeyFile);
            chain.ImportFromPemFile(tls.CertificateFile!);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SiloTlsException(
                $"{certificateSetting}: \"{tls.CertificateFile}\" with {keySetting}: \"{tls.KeyFile}\": not a PEM certificate and its matching private key: {e.Message}", e);
        }

        CheckUsable(certificate, chain, ca, now, $"{certificateSetting}: \"{tls.CertificateFile}\"");
        return new SiloTlsMaterial(certificate, ca, tls.CaFile!, Generated: false);
    }

    private static SiloTlsMaterial FromStateFolder(string folder, string? advertisedAddress, TimeProvider time)
    {
        var caFile = StokerStateFolder.CaCertificateFile(folder);
        var caKeyFile = StokerStateFolder.CaKeyFile(folder);
        var siloFile = StokerStateFolder.SiloCertificateFile(folder);
        var siloKeyFile = StokerStateFolder.SiloKeyFile(folder);
        var tlsFolder = Path.GetDirectoryName(caFile)!;
        try
        {
            StokerStateFolder.EnsureFolder(folder);
            StokerStateFolder.EnsureFolder(tlsFolder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SiloTlsException($"Stoker:Silo:StatePath: \"{folder}\": cannot create the folder for the silo's CA ({tlsFolder}): {e.Message}", e);
        }

        using var exclusive = Lock(Path.Join(tlsFolder, ".lock"), time);
        var now = time.GetUtcNow();
        var ca = LoadOrCreateCa(caFile, caKeyFile, now);
        var roots = new X509Certificate2Collection(ca);
        var (dnsNames, addresses) = SiloNames(advertisedAddress);
        if (File.Exists(siloFile) && File.Exists(siloKeyFile))
        {
            var existing = Read(siloFile, siloKeyFile);
            if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime > SiloCertificateAuthority.RenewBefore
                && SiloCertificateTrust.Problem(existing, null, roots, SiloCertificateTrust.ServerAuthenticationOid, SiloCertificateTrust.DefaultServerName) is null
                && CoversNames(existing, dnsNames, addresses))
            {
                return new SiloTlsMaterial(existing, roots, caFile, Generated: true);
            }

            existing.Dispose();
        }

        var issued = SiloCertificateAuthority.IssueSiloCertificate(ca, dnsNames, addresses, now);
        // The key first: a reader that finds the new certificate then finds its key, never the old one.
        StokerStateFolder.WriteSecretFile(siloKeyFile, System.Text.Encoding.ASCII.GetBytes(issued.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
        WritePublicFile(siloFile, issued.ExportCertificatePem() + "\n");
        return new SiloTlsMaterial(issued, roots, caFile, Generated: true);
    }

    private static X509Certificate2 LoadOrCreateCa(string caFile, string caKeyFile, DateTimeOffset now)
    {
        if (File.Exists(caFile) || File.Exists(caKeyFile))
        {
            if (!File.Exists(caKeyFile))
            {
                throw new SiloTlsException($"Stoker:Silo:StatePath: \"{caKeyFile}\": missing beside \"{caFile}\": the CA cannot issue silo certificates without its key; "
                    + "restore it, or delete the tls folder to create a new CA (agents then need the new ca.crt)");
            }

            if (!File.Exists(caFile))
            {
                throw new SiloTlsException($"Stoker:Silo:StatePath: \"{caFile}\": missing beside \"{caKeyFile}\"; "
                    + "restore it, or delete the tls folder to create a new CA (agents then need the new ca.crt)");
            }

            var ca = Read(caFile, caKeyFile);
            if (ca.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                throw new SiloTlsException($"Stoker:Silo:StatePath: \"{caFile}\": the CA expired on {ca.NotAfter.ToUniversalTime():u}; "
                    + "delete the tls folder to create a new CA and give agents the new ca.crt (docs/security.md, \"Transport (TLS)\")");
            }

            return ca;
        }

        var created = SiloCertificateAuthority.CreateCa(now, Dns.GetHostName());
        StokerStateFolder.WriteSecretFile(caKeyFile, System.Text.Encoding.ASCII.GetBytes(created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
        WritePublicFile(caFile, created.ExportCertificatePem() + "\n");
        return created;
    }

    private static X509Certificate2 Read(string certificateFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SiloTlsException($"Stoker:Silo:StatePath: \"{certificateFile}\" with \"{keyFile}\": not a PEM certificate and its matching private key: {e.Message}", e);
        }
    }

    private static void CheckUsable(X509Certificate2 certificate, X509Certificate2Collection chain, X509Certificate2Collection ca, DateTimeOffset now, string source)
    {
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw new SiloTlsException($"{source}: the certificate expired on {certificate.NotAfter.ToUniversalTime():u}");
        }

        // Both ends of a silo-to-silo connection present it, and agents ask for the fixed server name.
        if (SiloCertificateTrust.Problem(certificate, chain, ca, SiloCertificateTrust.ServerAuthenticationOid, SiloCertificateTrust.DefaultServerName) is { } serverProblem)
        {
            throw new SiloTlsException($"{source}: unusable as the silo's server certificate: {serverProblem}");
        }

        if (SiloCertificateTrust.Problem(certificate, chain, ca, SiloCertificateTrust.ClientAuthenticationOid, null) is { } clientProblem)
        {
            throw new SiloTlsException($"{source}: unusable towards other silos (client authentication): {clientProblem}");
        }
    }

    private static bool CoversNames(X509Certificate2 certificate, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses)
    {
        var names = SiloCertificateTrust.Names(certificate).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return dnsNames.All(names.Contains) && addresses.All(a => names.Contains(a.ToString()));
    }

    /// <summary>Written like a secret (a temporary file renamed over the old one) but readable by everyone.</summary>
    private static void WritePublicFile(string path, string content)
    {
        var temporary = Path.Join(Path.GetDirectoryName(path), $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = CertificateFileMode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static FileStream Lock(string path, TimeProvider time)
    {
        var deadline = time.GetUtcNow() + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                // Another silo on the same folder is creating or renewing; it holds the lock for milliseconds.
                Task.Delay(TimeSpan.FromMilliseconds(50), time).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new SiloTlsException($"Stoker:Silo:StatePath: \"{path}\": another process has held the lock on the silo's CA for {LockTimeout.TotalSeconds:0} s: {e.Message}", e);
            }
        }
    }
}
