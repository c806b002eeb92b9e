using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>Standard TLS verification, plus the extra CA of <see cref="GitHubAppOptions.CaFile"/> when one is given.</summary>
internal static class GitHubAppTrust
{
    public static X509Certificate2Collection LoadCertificates(string file)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(file);
        return certificates;
    }

    /// <summary>
    /// A callback that accepts what the system accepts, and a chain that ends at one of <paramref name="authorities"/>
    /// when the only fault was an unknown root. A wrong host name is never accepted.
    /// </summary>
    public static RemoteCertificateValidationCallback ExtraRoots(X509Certificate2Collection authorities) =>
        (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
            {
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(leaf);
        };
}
