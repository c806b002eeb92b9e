using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoker.Silo.Admission;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Admission;

/// <summary>
/// The admission webhooks as the silo registers them (<see cref="AdmissionExtensions.AddStokerAdmission"/>), in a
/// real host whose <see cref="AdmissionServer"/> listens with HTTPS on a loopback port, with a certificate made
/// for the test; the client trusts exactly that certificate. GatewaySyncs come from a real silo's grains.
/// </summary>
public sealed class AdmissionHost : IAsyncDisposable
{
    public const string SiloEndpoints = "stoker-silo-gateway.stoker-system.svc:30000";

    /// <summary>The CA the webhook hands injected agents (<c>SILO_CA</c>), a fixture so the expected patches are exact.</summary>
    public static string SiloCaFile => Path.Join(AppContext.BaseDirectory, "Fixtures", "Admission", "silo-ca.crt");
    public const string DefaultImage = "registry.example.com/stoker/agent:1.0";

    private readonly IHost _host;
    private readonly TempDirectory _certificates;

    private AdmissionHost(IHost host, TempDirectory certificates, HttpClient http, Uri? address)
    {
        _host = host;
        _certificates = certificates;
        Http = http;
        Address = address;
    }

    public HttpClient Http { get; }

    /// <summary>Where the HTTPS endpoint listens; null when the settings leave it disabled.</summary>
    public Uri? Address { get; }

    public string CertificateFolder => _certificates.Path;

    public IServiceProvider Services => _host.Services;

    /// <summary>The thumbprint the client accepts; a test that renews the certificate sets it to the new one.</summary>
    public string TrustedThumbprint { get; set; } = "";

    public static async Task<AdmissionHost> StartAsync(IGrainFactory grains, IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? time = null)
    {
        var certificates = new TempDirectory("stoker-admission-cert");
        try
        {
            var thumbprint = TestCertificate.Write(certificates.Path);
            var settings = new Dictionary<string, string?>
            {
                ["Stoker:Admission:Enabled"] = "true",
                ["Stoker:Admission:Port"] = "0",
                ["Stoker:Admission:BindAddress"] = "127.0.0.1",
                ["Stoker:Admission:CertificatePath"] = certificates.Combine("tls.crt"),
                ["Stoker:Admission:KeyPath"] = certificates.Combine("tls.key"),
                ["Stoker:Admission:SiloEndpoints"] = SiloEndpoints,
                ["Stoker:Admission:DefaultAgentImage"] = DefaultImage,
                ["Stoker:Silo:ClusterId"] = "stoker",
                ["Stoker:Silo:ServiceId"] = "stoker",
                // The fixtures' patches carry this CA as the agent's SILO_CA.
                ["Stoker:Silo:Tls:CaFile"] = SiloCaFile,
            };
            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("STOKER_TEST_LOGS") == "1")
            {
                builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
            }

            builder.Services.AddSingleton(grains);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            builder.Services.AddStokerAdmission(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            var host = builder.Build();
            try
            {
                await host.StartAsync();
            }
            catch
            {
                host.Dispose();
                throw;
            }

            var address = host.Services.GetRequiredService<AdmissionServer>().Address;
            AdmissionHost? result = null;
            var handler = new HttpClientHandler
            {
                // Real TLS, trusting only the certificate this test made (or renewed).
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == result!.TrustedThumbprint,
            };
            var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            result = new AdmissionHost(host, certificates, http, address) { TrustedThumbprint = thumbprint };
            return result;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Http.PostAsync(path, content);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(cts.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }

            _certificates.Dispose();
        }
    }
}
