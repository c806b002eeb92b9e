using System.Security.Cryptography;
using Stoker.Grains.Secrets;
using Stoker.Grains.Secrets.GitHubApp;

namespace Stoker.Tests.GitHubApp;

/// <summary>The App key's PEM rules (docs/private-repositories.md, "GitHub App").</summary>
public sealed class GitHubAppPrivateKeyTests
{
    private static readonly RSA Key = RSA.Create(2048);

    [Fact]
    public void Parse_Pkcs1RsaPrivateKey_ImportsTheKey()
    {
        using var rsa = GitHubAppPrivateKey.Parse(Key.ExportRSAPrivateKeyPem());

        Assert.Equal(Key.ExportRSAPublicKey(), rsa.ExportRSAPublicKey());
    }

    [Fact]
    public void Parse_Pkcs8RsaPrivateKey_ImportsTheKey()
    {
        using var rsa = GitHubAppPrivateKey.Parse(Key.ExportPkcs8PrivateKeyPem());

        Assert.Equal(Key.ExportRSAPublicKey(), rsa.ExportRSAPublicKey());
    }

    [Fact]
    public void Parse_FirstBlockOnly_TextAroundIgnoredLaterBlocksUnread()
    {
        var pem = "GitHub App key, downloaded 2026-12-07\n" + Key.ExportRSAPrivateKeyPem() + "\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

        using var rsa = GitHubAppPrivateKey.Parse(pem);

        Assert.Equal(Key.ExportRSAPublicKey(), rsa.ExportRSAPublicKey());
    }

    [Fact]
    public void Parse_Pkcs8EcKey_IsNotRsa()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        AssertRefused(ec.ExportPkcs8PrivateKeyPem(), "parsing PEM key: PKCS#8 key is not RSA");
    }

    [Fact]
    public void Parse_OtherBlockType_Unsupported()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        AssertRefused(ec.ExportECPrivateKeyPem(), "parsing PEM key: unsupported PEM block type: EC PRIVATE KEY");
        AssertRefused(Key.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)),
            "parsing PEM key: unsupported PEM block type: ENCRYPTED PRIVATE KEY");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key at all")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nno end line")]
    public void Parse_NoBlock_NoPemBlockFound(string pem) => AssertRefused(pem, "parsing PEM key: no PEM block found");

    [Fact]
    public void Parse_CorruptKeyInsideTheBlock_ParsingErrorWithoutKeyMaterial()
    {
        var pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Convert.ToBase64String(new byte[64]) + "\n-----END RSA PRIVATE KEY-----\n";

        var error = Assert.Throws<GitCredentialsException>(() => GitHubAppPrivateKey.Parse(pem));

        Assert.StartsWith("parsing PEM key: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(new byte[64]), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeJunk_RefusedQuickly()
    {
        var junk = new string('A', 4 * 1024 * 1024);

        AssertRefused(junk, "parsing PEM key: no PEM block found");
        AssertRefused("-----BEGIN " + new string('X', 10_000) + "-----\nAAAA\n-----END " + new string('X', 10_000) + "-----", null);
    }

    private static void AssertRefused(string pem, string? message)
    {
        var error = Assert.Throws<GitCredentialsException>(() => GitHubAppPrivateKey.Parse(pem));
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }
        else
        {
            Assert.True(error.Message.Length < 200, error.Message);
        }
    }
}
