using System.Security.Cryptography.X509Certificates;
using Stoker.Grains.Interfaces.Security;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Transport;

/// <summary>
/// Issue 14, point 1, on the real <c>stoker-silo</c> program: the CA and certificate it creates in its state folder
/// (keys readable by the owner only, reused after a restart), what <c>/readyz</c> and the log say about the transport,
/// <c>Stoker:Silo:AllowInsecureAgents</c>, and bad TLS settings stopping the start with the setting, path and problem.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SiloTransportProcessTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task FirstStart_CreatesCaAndSiloCertificate_KeysOwnerOnly_RestartReusesThem()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "tls-state" });
        var state = silo.StatePath;
        var (ca, caKey, cert, key) = (StokerStateFolder.CaCertificateFile(state), StokerStateFolder.CaKeyFile(state),
            StokerStateFolder.SiloCertificateFile(state), StokerStateFolder.SiloKeyFile(state));

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(caKey));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(key));
        // Certificates are public: agents under other users (the compose file's) read ca.crt.
        Assert.Equal(Public, File.GetUnixFileMode(ca));
        Assert.Equal(Public, File.GetUnixFileMode(cert));
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ca)!));

        using var issued = X509Certificate2.CreateFromPemFile(cert, key);
        var roots = SiloCertificateTrust.ReadPemFile(ca, "ca.crt");
        Assert.Null(SiloCertificateTrust.Problem(issued, null, roots, SiloCertificateTrust.ServerAuthenticationOid, "stoker-silo"));
        Assert.Null(SiloCertificateTrust.Problem(issued, null, roots, SiloCertificateTrust.ClientAuthenticationOid, null));
        Assert.Superset(new HashSet<string> { "stoker-silo", "localhost", "127.0.0.1", "::1" }, SiloCertificateTrust.Names(issued).ToHashSet());
        using (var caPublicKey = roots[0].GetECDsaPublicKey())
        {
            Assert.Equal(256, caPublicKey!.KeySize);
        }

        Assert.True(roots[0].NotAfter - roots[0].NotBefore > TimeSpan.FromDays(3000), "the CA lives long: replacing it means handing agents the new one");

        var (caBefore, certBefore) = (await File.ReadAllTextAsync(ca), await File.ReadAllTextAsync(cert));
        await silo.RestartAsync();

        Assert.Equal(caBefore, await File.ReadAllTextAsync(ca));
        Assert.Equal(certBefore, await File.ReadAllTextAsync(cert));
        await using var client = await AgentClientHost.StartAsync(silo.GatewayPort, silo.ClusterId, silo.ServiceId, silo.CaFile);
    }

    [Fact]
    public async Task Default_ReadyzAndLogSayTls()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "tls-ready" });

        var ready = await Eventually.Until(() => silo.GetAsync("/readyz"), r => r.Status == 200, TimeSpan.FromSeconds(60), "/readyz 200\n" + silo.Output);

        Assert.Contains($"transport: Healthy: agents and silos: TLS (CA {silo.CaFile}", ready.Body, StringComparison.Ordinal);
        Assert.Contains($"TLS on the gateway port {silo.GatewayPort} and the silo port {silo.SiloPort}", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowInsecureAgents=true", silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowInsecureAgents_TakesPlainTcp_WarnsAtStart_ShowsInReadyz()
    {
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "tls-insecure",
            Environment = new Dictionary<string, string> { ["Stoker__Silo__AllowInsecureAgents"] = "true" },
        });

        var ready = await Eventually.Until(() => silo.GetAsync("/readyz"), r => r.Status == 200, TimeSpan.FromSeconds(60), "/readyz 200\n" + silo.Output);
        await using var plain = await AgentClientHost.StartAsync(silo.GatewayPort, silo.ClusterId, silo.ServiceId);

        Assert.Contains("transport: Healthy: agents: plain TCP (Stoker:Silo:AllowInsecureAgents=true", ready.Body, StringComparison.Ordinal);
        var lines = silo.Lines.ToList();
        var warning = lines.FindIndex(l => l.Contains($"AllowInsecureAgents=true: the gateway port {silo.GatewayPort} accepts agents over plain TCP", StringComparison.Ordinal));
        Assert.True(warning > 0, silo.Output);
        Assert.StartsWith("warn: ", lines[warning - 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncompleteTlsSettings_SiloRefusesToStartNamingTheMissingSettings()
    {
        using var temp = new TempDirectory("tls-bad");
        var cert = temp.Combine("tls.crt");
        await File.WriteAllTextAsync(cert, "not a certificate");
        await using var silo = SiloProcess.Start(new SiloProcessSettings
        {
            Name = "tls-incomplete",
            Environment = new Dictionary<string, string> { ["Stoker__Silo__Tls__CertificateFile"] = cert, ["Stoker__Silo__Tls__CaFile"] = temp.Combine("missing-ca.crt") },
        });

        await Eventually.Until(() => Task.FromResult(silo.HasExited), exited => exited, TimeSpan.FromSeconds(60), "the silo to stop\n" + silo.Output);

        Assert.Contains("Stoker:Silo:Tls:KeyFile: required when any of CertificateFile, KeyFile, CaFile is set", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Stoker:Silo:Tls:CaFile:", silo.Output, StringComparison.Ordinal);
    }
}
