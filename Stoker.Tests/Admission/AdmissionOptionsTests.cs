using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stoker.Silo.Admission;

namespace Stoker.Tests.Admission;

/// <summary>The webhooks are off unless enabled, refuse bad settings by name, and follow a renewed certificate.</summary>
public sealed class AdmissionOptionsTests(AdmissionFixture fixture) : IClassFixture<AdmissionFixture>
{
    [Fact]
    public async Task Defaults_WebhookDisabled_NoServerAndNoPortOpened()
    {
        var port = Infrastructure.FreePort.Next();
        await using var host = await AdmissionHost.StartAsync(fixture.ControlPlane.Client, new Dictionary<string, string?>
        {
            ["Stoker:Admission:Enabled"] = null,
            ["Stoker:Admission:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stoker:Admission:CertificatePath"] = null,
            ["Stoker:Admission:KeyPath"] = null,
            ["Stoker:Admission:SiloEndpoints"] = null,
        });

        Assert.Null(host.Address);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Enabled_WithoutCertificateOrEndpoints_FailsAtStartNamingTheSettings()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdmissionHost.StartAsync(fixture.ControlPlane.Client, new Dictionary<string, string?>
        {
            ["Stoker:Admission:CertificatePath"] = null,
            ["Stoker:Admission:KeyPath"] = "",
            ["Stoker:Admission:SiloEndpoints"] = null,
        }));

        Assert.Contains("Stoker:Admission:CertificatePath: required when Stoker:Admission:Enabled is true", error.Message, StringComparison.Ordinal);
        Assert.Contains("Stoker:Admission:KeyPath: required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Stoker:Admission:SiloEndpoints: required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_CertificateFileMissing_FailsAtStartNamingSettingAndFile()
    {
        var error = await Assert.ThrowsAsync<AdmissionCertificateException>(() => AdmissionHost.StartAsync(fixture.ControlPlane.Client, new Dictionary<string, string?>
        {
            ["Stoker:Admission:CertificatePath"] = "/nonexistent/tls.crt",
        }));

        Assert.StartsWith("Stoker:Admission:CertificatePath \"/nonexistent/tls.crt\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(AdmissionOptions.Port), -1, "Stoker:Admission:Port: -1: must be a TCP port")]
    [InlineData(nameof(AdmissionOptions.Port), 65536, "Stoker:Admission:Port: 65536: must be a TCP port")]
    [InlineData(nameof(AdmissionOptions.MaxRequestBodyBytes), 1000, "Stoker:Admission:MaxRequestBodyBytes: 1000: must be between 65536 and 16777216")]
    [InlineData(nameof(AdmissionOptions.TokenExpirationSeconds), 60, "Stoker:Admission:TokenExpirationSeconds: 60: must be between 600 and 86400")]
    public void Validator_NumbersOutOfRange_NameSettingValueAndRule(string setting, int value, string message)
    {
        var options = new AdmissionOptions();
        typeof(AdmissionOptions).GetProperty(setting)!.SetValue(options, value);

        var result = new AdmissionOptionsValidator().Validate(null, options);

        Assert.Contains(message, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(AdmissionOptions.WorkVolumeSizeLimit), "lots", "Stoker:Admission:WorkVolumeSizeLimit: \"lots\": must be a Kubernetes quantity")]
    [InlineData(nameof(AdmissionOptions.TmpVolumeSizeLimit), "64 Mi", "Stoker:Admission:TmpVolumeSizeLimit: \"64 Mi\": must be a Kubernetes quantity")]
    [InlineData(nameof(AdmissionOptions.TokenAudience), "", "Stoker:Admission:TokenAudience: \"\": must be a non-empty word")]
    [InlineData(nameof(AdmissionOptions.BindAddress), "localhost", "Stoker:Admission:BindAddress: \"localhost\": must be an IP address")]
    [InlineData(nameof(AdmissionOptions.DefaultAgentImage), "my agent", "Stoker:Admission:DefaultAgentImage (or DEFAULT_AGENT_IMAGE): \"my agent\": must be an image reference")]
    public void Validator_BadText_NamesSettingValueAndRule(string setting, string value, string message)
    {
        var options = new AdmissionOptions();
        typeof(AdmissionOptions).GetProperty(setting)!.SetValue(options, value);

        var result = new AdmissionOptionsValidator().Validate(null, options);

        Assert.Contains(message, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_SiloEndpointsWithoutPort_NamesTheItem()
    {
        var options = new AdmissionOptions { Enabled = true, CertificatePath = "/c", KeyPath = "/k", SiloEndpoints = "a.svc:30000, b.svc" };

        var result = new AdmissionOptionsValidator().Validate(null, options);

        Assert.Equal("Stoker:Admission:SiloEndpoints: \"b.svc\": must be host:port (comma-separated for several)", Assert.Single(result.Failures!));
    }

    [Fact]
    public async Task DefaultAgentImage_FromTheOriginalsEnvironmentVariable()
    {
        await using var host = await AdmissionHost.StartAsync(fixture.ControlPlane.Client, new Dictionary<string, string?>
        {
            ["Stoker:Admission:DefaultAgentImage"] = null,
            ["DEFAULT_AGENT_IMAGE"] = "registry.example.com/agent:from-env",
        });

        Assert.Equal("registry.example.com/agent:from-env", host.Services.GetRequiredService<AgentInjectionSettings>().DefaultImage);
    }

    [Fact]
    public async Task Certificate_RenewedInPlace_IsServedAfterTheRecheckInterval()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await AdmissionHost.StartAsync(fixture.ControlPlane.Client, time: time);
        var first = host.TrustedThumbprint;

        var renewed = TestCertificate.Write(host.CertificateFolder, "stoker-webhook-renewed");
        var beforeRecheck = await ServedThumbprintAsync(host.Address!);
        time.Advance(AdmissionCertificate.RecheckInterval);
        var afterRecheck = await ServedThumbprintAsync(host.Address!);

        Assert.NotEqual(first, renewed);
        Assert.Equal(first, beforeRecheck);
        Assert.Equal(renewed, afterRecheck);
    }

    /// <summary>A new connection each time: the certificate is chosen per TLS handshake.</summary>
    private static async Task<string> ServedThumbprintAsync(Uri address)
    {
        string? served = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                served = certificate!.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
                return true;
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = address };
        using var response = await http.GetAsync(AdmissionEndpoint.MutatePodPath);
        return served ?? throw new InvalidOperationException("no certificate seen");
    }
}
