using Stoker.AgentClient.Ignition;
using Stoker.IgnitionSimulator;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Ignition;

public sealed class IgnitionClientTlsTests : IClassFixture<IgnitionClientTlsTests.Certificates>, IDisposable
{
    private readonly TestCertificates _certificates;
    private readonly TempDirectory _temp = new("tls");

    public IgnitionClientTlsTests(Certificates certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        _certificates = certificates.Value;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task HealthCheckAsync_CertificateOfAnUnknownAuthority_IsRefusedByDefault()
    {
        await using var gateway = await StartAsync(_certificates.Issued);
        using var client = IgnitionClient.Create(Options(gateway));

        var health = await client.HealthCheckAsync();

        Assert.False(health.IsHealthy);
        Assert.StartsWith("gateway health check: TLS: ", health.Error, StringComparison.Ordinal);
        Assert.Contains("IGNITION_CA_FILE", health.Error, StringComparison.Ordinal);
        Assert.Empty(gateway.Control.Calls);
    }

    [Fact]
    public async Task HealthCheckAsync_SelfSignedCertificate_IsRefusedByDefault()
    {
        await using var gateway = await StartAsync(_certificates.SelfSigned);
        using var client = IgnitionClient.Create(Options(gateway));

        var health = await client.HealthCheckAsync();

        Assert.StartsWith("gateway health check: TLS: ", health.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheckAsync_CaFileOfTheIssuer_IsAccepted()
    {
        await using var gateway = await StartAsync(_certificates.Issued);
        var caFile = _certificates.WritePem(_certificates.Authority, _temp.Combine("ca.pem"));
        using var client = IgnitionClient.Create(Options(gateway, caFile: caFile));

        var health = await client.HealthCheckAsync();

        Assert.True(health.IsHealthy, health.ToString());
        Assert.Equal("https", gateway.BaseUrl.Scheme);
    }

    [Fact]
    public async Task HealthCheckAsync_SelfSignedCertificateGivenAsCaFile_IsAccepted()
    {
        await using var gateway = await StartAsync(_certificates.SelfSigned);
        var caFile = _certificates.WritePem(_certificates.SelfSigned, _temp.Combine("gateway.pem"));
        using var client = IgnitionClient.Create(Options(gateway, caFile: caFile));

        var health = await client.HealthCheckAsync();

        Assert.True(health.IsHealthy, health.ToString());
    }

    [Fact]
    public async Task HealthCheckAsync_CaFileOfAnotherAuthority_IsRefused()
    {
        await using var gateway = await StartAsync(_certificates.SelfSigned);
        var caFile = _certificates.WritePem(_certificates.Authority, _temp.Combine("other-ca.pem"));
        using var client = IgnitionClient.Create(Options(gateway, caFile: caFile));

        var health = await client.HealthCheckAsync();

        Assert.StartsWith("gateway health check: TLS: ", health.Error, StringComparison.Ordinal);
        Assert.Contains("not issued by the CA in", health.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_InsecureSkipTlsVerify_AcceptsAnyCertificate()
    {
        await using var gateway = await StartAsync(_certificates.SelfSigned);
        var options = new IgnitionClientOptions
        {
            BaseUrl = gateway.BaseUrl, ApiToken = TestGateway.Token, InsecureSkipTlsVerify = true, ScanRetryDelays = [],
        };
        using var insecure = IgnitionClient.Create(options);
        var result = await insecure.ScanAsync();

        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task ScanAsync_TlsRefusal_IsNotRetried()
    {
        await using var gateway = await StartAsync(_certificates.SelfSigned);
        var logger = new ListLogger<IgnitionClient>();
        var options = Options(gateway);
        using var http = new HttpClient(IgnitionClient.CreateHandler(options));
        using var client = new IgnitionClient(http, options, logger: logger);

        var result = await client.ScanAsync();

        Assert.StartsWith("error: scan/projects: TLS: ", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Entries, e => e.EventId == 5002);
    }

    private static Task<GatewaySimulator> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = TestGateway.Token, Certificate = certificate });

    private static IgnitionClientOptions Options(GatewaySimulator gateway, string? caFile = null) => new()
    {
        BaseUrl = new UriBuilder(gateway.BaseUrl) { Host = "localhost" }.Uri,
        ApiToken = TestGateway.Token,
        CaFile = caFile,
        ScanRetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)],
    };

    public sealed class Certificates : IDisposable
    {
        public TestCertificates Value { get; } = TestCertificates.Create();

        public void Dispose() => Value.Dispose();
    }
}
