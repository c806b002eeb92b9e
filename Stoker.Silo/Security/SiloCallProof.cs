using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Stoker.Silo.Transport;

namespace Stoker.Silo.Security;

/// <summary>
/// What tells a call from a silo's hosted client (the HTTP API, the webhook receiver, the dashboard) from an Orleans
/// client that merely claims a hosted client's id: Orleans' gateway does not check the sender id a client's messages
/// carry (docs/security.md, "Agent credentials"). The silo's outgoing filter (<see cref="SiloCallProofFilter"/>) puts
/// an HMAC-SHA256 of the call's target into its request context; <see cref="ClientCallFilter"/> checks it.
/// </summary>
/// <remarks>
/// The key is derived (HKDF-SHA256, a fixed label) from a private key every silo of a cluster already holds and agents
/// never see, so it needs no setting: the state folder's CA key when the silo made its own CA (silos of one cluster
/// share the state folder), else the key of the silo certificate it was given (Kubernetes: cert-manager's Secret, one
/// for all silos). The MAC binds the proof to one target, so a proof that leaked would open no other grain.
/// </remarks>
public sealed class SiloCallProof
{
    /// <summary>The request-context entry holding the proof; never sent to a client and removed once checked.</summary>
    public const string RequestContextKey = "stoker.silo-proof";

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("stoker silo call proof v1");

    private readonly byte[] _key;

    public SiloCallProof(SiloTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _key = DeriveKey(transport.Material);
    }

    /// <summary>The cluster-wide key: HKDF-SHA256 of the private scalar of the CA key (own CA) or the silo key (given files).</summary>
    public static byte[] DeriveKey(SiloTlsMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        var source = material.Generated && material.CaCertificates.Count > 0 && material.CaCertificates[0].HasPrivateKey
            ? material.CaCertificates[0]
            : material.Certificate;
        var secret = PrivateKeyBytes(source);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: null, info: Label);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The proof for a call from a silo's hosted client to <paramref name="target"/>.</summary>
    public string For(GrainId target) => Convert.ToBase64String(Mac(target));

    /// <summary>Whether <paramref name="value"/> is the proof for a call to <paramref name="target"/> (compared in constant time).</summary>
    public bool Verify(object? value, GrainId target)
    {
        if (value is not string text || text.Length != 44)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        return Convert.TryFromBase64String(text, given, out var written) && written == 32
            && CryptographicOperations.FixedTimeEquals(given, Mac(target));
    }

    private byte[] Mac(GrainId target) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(target.ToString()));

    private static byte[] PrivateKeyBytes(X509Certificate2 certificate)
    {
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            return ecdsa.ExportParameters(includePrivateParameters: true).D!;
        }

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            return rsa.ExportParameters(includePrivateParameters: true).D!;
        }

        throw new SiloTlsException($"the silo certificate \"{certificate.Subject}\" has no ECDSA or RSA private key to derive the silo call proof from");
    }
}
