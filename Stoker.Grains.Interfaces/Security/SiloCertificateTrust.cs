using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.Grains.Interfaces.Security;

/// <summary>
/// How silos and agents judge a certificate on the Orleans ports (docs/security.md, "Transport (TLS)"): its chain must
/// end at one of the CA certificates they were given, never at the system's trust store, and a server certificate must
/// carry the expected DNS name. The silo, the agent and the tests share these rules so they cannot drift apart.
/// </summary>
public static class SiloCertificateTrust
{
    /// <summary>The DNS name every silo certificate carries and that clients and silos ask for (<c>SILO_TLS_SERVER_NAME</c>).</summary>
    public const string DefaultServerName = "stoker-silo";

    /// <summary>Extended key usage "TLS Web Server Authentication".</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Extended key usage "TLS Web Client Authentication".</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Upper bound on a CA text: a bundle of a few certificates is a few kilobytes.</summary>
    public const int MaxPemLength = 1024 * 1024;

    /// <summary>
    /// The certificates of a PEM text (a CA, or a bundle of an old and a new CA during a rotation). Throws
    /// <see cref="FormatException"/> saying what is wrong; <paramref name="source"/> names where the text came from.
    /// </summary>
    public static X509Certificate2Collection ParsePem(string pem, string source)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > MaxPemLength)
        {
            throw new FormatException($"{source}: {pem.Length} characters: a CA bundle may hold at most {MaxPemLength}");
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"{source}: not a PEM certificate: {e.Message}", e);
        }

        if (certificates.Count == 0)
        {
            throw new FormatException($"{source}: holds no \"-----BEGIN CERTIFICATE-----\" block");
        }

        return certificates;
    }

    /// <summary>Reads <see cref="ParsePem"/> from a file, with the same bound; problems name the file.</summary>
    public static X509Certificate2Collection ReadPemFile(string path, string setting)
    {
        var source = $"{setting}: \"{path}\"";
        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new FormatException($"{source}: the file does not exist");
            }

            if (file.Length > MaxPemLength)
            {
                throw new FormatException($"{source}: {file.Length} bytes: a CA bundle may hold at most {MaxPemLength}");
            }

            return ParsePem(File.ReadAllText(path), source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FormatException($"{source}: cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Why <paramref name="certificate"/> is not to be trusted, or <see langword="null"/> when it is: its chain (with
    /// the <paramref name="intermediates"/> the peer sent) must end at one of <paramref name="roots"/> and allow <paramref name="usageOid"/>;
    /// when <paramref name="serverName"/> is given the certificate must be valid for that name. The system trust store
    /// plays no part, and revocation is not checked (a private CA publishes no revocation list).
    /// </summary>
    public static string? Problem(X509Certificate2 certificate, IEnumerable<X509Certificate2>? intermediates, X509Certificate2Collection roots, string usageOid, string? serverName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(roots);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usageOid));
        foreach (var intermediate in intermediates ?? [])
        {
            if (!intermediate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                chain.ChainPolicy.ExtraStore.Add(intermediate);
            }
        }

        if (!chain.Build(certificate))
        {
            var statuses = chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct(StringComparer.Ordinal);
            return $"certificate \"{certificate.Subject}\" (issuer \"{certificate.Issuer}\", serial {certificate.SerialNumber}) "
                + $"does not chain to the trusted CA ({string.Join("; ", roots.Select(r => $"\"{r.Subject}\""))}): {string.Join("; ", statuses)}";
        }

        if (serverName is { Length: > 0 } && !certificate.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false))
        {
            return $"certificate \"{certificate.Subject}\" is not valid for the name \"{serverName}\" (its names: {string.Join(", ", Names(certificate))})";
        }

        return null;
    }

    /// <summary>The DNS names and IP addresses in a certificate's subject alternative names, for messages.</summary>
    public static IReadOnlyList<string> Names(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null ? [] : [.. extension.EnumerateDnsNames(), .. extension.EnumerateIPAddresses().Select(a => a.ToString())];
    }
}
