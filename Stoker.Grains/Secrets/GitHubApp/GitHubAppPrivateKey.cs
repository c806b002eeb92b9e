using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>
/// The App's private key from the Secret's PEM text, by the original's rules: the first PEM block only;
/// <c>RSA PRIVATE KEY</c> is PKCS#1, <c>PRIVATE KEY</c> is PKCS#8 and must hold an RSA key.
/// </summary>
internal static class GitHubAppPrivateKey
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const int MaxLabelShown = 64;

    /// <exception cref="GitCredentialsException">"parsing PEM key: …", never with key material.</exception>
    public static RSA Parse(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw Error("no PEM block found");
        }

        var label = pem[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        try
        {
            if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
            {
                throw Error("the PEM block's base64 cannot be decoded");
            }

            return label switch
            {
                "RSA PRIVATE KEY" => Import(rsa => rsa.ImportRSAPrivateKey(der, out _)),
                "PRIVATE KEY" => IsRsaPkcs8(der) ? Import(rsa => rsa.ImportPkcs8PrivateKey(der, out _)) : throw Error("PKCS#8 key is not RSA"),
                _ => throw Error("unsupported PEM block type: " + (label.Length > MaxLabelShown ? label[..MaxLabelShown] + "…" : label)),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static RSA Import(Action<RSA> import)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw Error(e.Message);
        }
    }

    /// <summary>Reads only PrivateKeyInfo's algorithm identifier, so a non-RSA key is named as such rather than as corrupt.</summary>
    private static bool IsRsaPkcs8(byte[] der)
    {
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            var algorithm = info.ReadSequence();
            return algorithm.ReadObjectIdentifier() == RsaEncryptionOid;
        }
        catch (AsnContentException e)
        {
            throw Error("PKCS#8 structure cannot be read: " + e.Message);
        }
    }

    private static GitCredentialsException Error(string detail) => new("parsing PEM key: " + detail);
}
