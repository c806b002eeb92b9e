using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Hosting;
using Stoker.Silo.Transport;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Transport;

/// <summary>
/// The silo's TLS material (docs/security.md, "Transport (TLS)"): the state folder's CA kept, its silo certificate
/// renewed within 30 days of its end; given files (a cert-manager secret's) checked at start, each problem naming the
/// setting, the path and what is wrong.
/// </summary>
public sealed class SiloTlsMaterialLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new("tls-loader");
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StateFolder_SiloCertificateRenewedOnlyWithin30DaysOfItsEnd_CaKept()
    {
        var silo = new StokerSiloOptions { StatePath = _temp.Combine("state") };
        var first = SiloTlsMaterialLoader.Load(silo, _time);

        _time.Advance(TimeSpan.FromDays(300));
        var later = SiloTlsMaterialLoader.Load(silo, _time);
        _time.Advance(TimeSpan.FromDays(40));
        var renewed = SiloTlsMaterialLoader.Load(silo, _time);

        Assert.True(first.Generated);
        Assert.Equal(first.Certificate.SerialNumber, later.Certificate.SerialNumber);
        Assert.NotEqual(first.Certificate.SerialNumber, renewed.Certificate.SerialNumber);
        Assert.Equal(first.CaCertificates[0].Thumbprint, renewed.CaCertificates[0].Thumbprint);
        Assert.True(renewed.Certificate.NotAfter.ToUniversalTime() > _time.GetUtcNow().UtcDateTime.AddDays(300));
        Assert.Equal(renewed.Certificate.SerialNumber, SiloCertificateTrust.ReadPemFile(StokerStateFolder.SiloCertificateFile(silo.StatePath), "silo.crt")[0].SerialNumber);
    }

    [Fact]
    public void StateFolder_NewAdvertisedAddress_IsAddedToTheSiloCertificate()
    {
        var silo = new StokerSiloOptions { StatePath = _temp.Combine("state") };
        SiloTlsMaterialLoader.Load(silo, _time);

        silo.AdvertisedAddress = "10.1.2.3";
        var material = SiloTlsMaterialLoader.Load(silo, _time);

        Assert.Contains("10.1.2.3", SiloCertificateTrust.Names(material.Certificate));
    }

    [Fact]
    public void StateFolder_CaKeyMissing_FailsNamingThePath()
    {
        var silo = new StokerSiloOptions { StatePath = _temp.Combine("state") };
        SiloTlsMaterialLoader.Load(silo, _time);
        File.Delete(StokerStateFolder.CaKeyFile(silo.StatePath));

        var error = Assert.Throws<SiloTlsException>(() => SiloTlsMaterialLoader.Load(silo, _time));

        Assert.StartsWith($"Stoker:Silo:StatePath: \"{StokerStateFolder.CaKeyFile(silo.StatePath)}\": missing beside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_CertManagerStyle_Loaded()
    {
        var tls = WriteFiles("secret", _time.GetUtcNow());

        var material = SiloTlsMaterialLoader.Load(new StokerSiloOptions { Tls = tls }, _time);

        Assert.False(material.Generated);
        Assert.Equal(tls.CaFile, material.CaFile);
        Assert.True(material.Certificate.HasPrivateKey);
    }

    [Fact]
    public void Files_CertificateOfAnotherCa_FailsNamingSettingPathAndProblem()
    {
        var tls = WriteFiles("secret", _time.GetUtcNow());
        tls.CaFile = OtherCa.Write(_temp.Combine("other"));

        var error = Assert.Throws<SiloTlsException>(() => SiloTlsMaterialLoader.Load(new StokerSiloOptions { Tls = tls }, _time));

        Assert.StartsWith($"Stoker:Silo:Tls:CertificateFile: \"{tls.CertificateFile}\": unusable as the silo's server certificate: certificate \"CN=stoker-silo, O=Stoker\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not chain to the trusted CA (\"CN=Stoker local CA (elsewhere), O=Stoker\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_KeyOfAnotherCertificate_FailsNamingBothFiles()
    {
        var tls = WriteFiles("secret", _time.GetUtcNow());
        tls.KeyFile = WriteFiles("other-secret", _time.GetUtcNow()).KeyFile;

        var error = Assert.Throws<SiloTlsException>(() => SiloTlsMaterialLoader.Load(new StokerSiloOptions { Tls = tls }, _time));

        Assert.StartsWith($"Stoker:Silo:Tls:CertificateFile: \"{tls.CertificateFile}\" with Stoker:Silo:Tls:KeyFile: \"{tls.KeyFile}\": not a PEM certificate and its matching private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_CertificateWithoutTheServerName_FailsNamingTheName()
    {
        var tls = WriteFiles("secret", _time.GetUtcNow(), dnsNames: ["silo.example"]);

        var error = Assert.Throws<SiloTlsException>(() => SiloTlsMaterialLoader.Load(new StokerSiloOptions { Tls = tls }, _time));

        Assert.True(error.Message.Contains("is not valid for the name \"stoker-silo\" (its names: silo.example", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Files_CaFileMissing_FailsNamingSettingAndPath()
    {
        var tls = WriteFiles("secret", _time.GetUtcNow());
        tls.CaFile = _temp.Combine("secret", "no-such-ca.crt");

        var error = Assert.Throws<SiloTlsException>(() => SiloTlsMaterialLoader.Load(new StokerSiloOptions { Tls = tls }, _time));

        Assert.Equal($"Stoker:Silo:Tls:CaFile: \"{tls.CaFile}\": the file does not exist", error.Message);
    }

    [Fact]
    public void Files_ExpiredCertificate_FailsSayingWhen()
    {
        var tls = WriteFiles("secret", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromDays(400));

        var error = Assert.Throws<SiloTlsException>(() => SiloTlsMaterialLoader.Load(new StokerSiloOptions { Tls = tls }, _time));

        Assert.StartsWith($"Stoker:Silo:Tls:CertificateFile: \"{tls.CertificateFile}\": the certificate expired on", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CertificateFile", "KeyFile", "CaFile")]
    [InlineData("CaFile", "CertificateFile", "KeyFile")]
    public void Validator_OneFileOnly_NamesTheOthersAsRequired(string given, string missing1, string missing2)
    {
        var tls = new SiloTlsOptions();
        typeof(SiloTlsOptions).GetProperty(given)!.SetValue(tls, "relative.pem");

        var result = new StokerSiloOptionsValidator().Validate(null, new StokerSiloOptions { Tls = tls });

        Assert.Contains($"Stoker:Silo:Tls:{given}: \"relative.pem\": must be an absolute path", result.Failures!);
        Assert.Contains(result.Failures!, f => f.StartsWith($"Stoker:Silo:Tls:{missing1}: required when any of", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith($"Stoker:Silo:Tls:{missing2}: required when any of", StringComparison.Ordinal));
    }

    /// <summary>A CA and a silo certificate as cert-manager's CA issuer writes them: tls.crt, tls.key (SEC1), ca.crt.</summary>
    private SiloTlsOptions WriteFiles(string name, DateTimeOffset now, string[]? dnsNames = null)
    {
        var folder = _temp.Combine(name);
        Directory.CreateDirectory(folder);
        using var ca = SiloCertificateAuthority.CreateCa(now, "cert-manager");
        using var silo = SiloCertificateAuthority.IssueSiloCertificate(ca, dnsNames ?? ["stoker-silo", "stoker-silo-gateway.stoker-system.svc"], [IPAddress.Loopback], now);
        var tls = new SiloTlsOptions { CertificateFile = Path.Join(folder, "tls.crt"), KeyFile = Path.Join(folder, "tls.key"), CaFile = Path.Join(folder, "ca.crt") };
        File.WriteAllText(tls.CertificateFile, silo.ExportCertificatePem());
        File.WriteAllText(tls.KeyFile, PemEncoding.WriteString("EC PRIVATE KEY", silo.GetECDsaPrivateKey()!.ExportECPrivateKey()));
        File.WriteAllText(tls.CaFile, ca.ExportCertificatePem());
        return tls;
    }
}
