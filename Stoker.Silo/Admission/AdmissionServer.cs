using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Admission;

/// <summary>
/// The webhooks' own HTTPS server on <see cref="AdmissionOptions.Port"/>, apart from the silo's HTTP port: it
/// serves only the admission paths, with the mounted certificate, and does not exist unless enabled. A separate
/// Kestrel keeps the silo's own listening addresses (<c>ASPNETCORE_URLS</c>) exactly as they are.
/// </summary>
public sealed partial class AdmissionServer(
    IOptions<AdmissionOptions> options,
    AdmissionEndpoint endpoint,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;
    private AdmissionCertificate? _certificate;

    /// <summary>The bound address (<c>https://host:port</c>) once started; null when disabled.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var logger = loggerFactory.CreateLogger<AdmissionServer>();
        if (!settings.Enabled)
        {
            return;
        }

        _certificate = new AdmissionCertificate(settings.CertificatePath!, settings.KeyPath!, time, logger);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production });
        // The silo's URLs settings belong to its own server, not this one.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "").UseSetting(WebHostDefaults.HttpPortsKey, "").UseSetting(WebHostDefaults.HttpsPortsKey, "");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(endpoint);
        var certificate = _certificate;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Above the endpoint's own bound, which answers first and names the setting.
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes + (64L << 10);
            void Configure(ListenOptions listen)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
            }

            if (settings.BindAddress is { Length: > 0 } bind)
            {
                kestrel.Listen(IPAddress.Parse(bind), settings.Port, Configure);
            }
            else
            {
                // IPv6 any with IPv4 fallback, for pods on clusters without IPv6.
                kestrel.ListenAnyIP(settings.Port, Configure);
            }
        });
        var app = builder.Build();
        app.MapStokerAdmission();
        await app.StartAsync(cancellationToken);
        _app = app;
        Address = new Uri(app.Urls.First());
        LogListening(logger, Address, AdmissionEndpoint.MutatePodPath, AdmissionEndpoint.ValidateGatewaySyncPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        _certificate?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admission webhooks listening on {Address}: {MutatePath}, {ValidatePath}")]
    private static partial void LogListening(ILogger logger, Uri address, string mutatePath, string validatePath);
}
