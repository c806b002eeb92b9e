using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stoker.IgnitionSimulator;

/// <summary>
/// A simulated Ignition 8.3 gateway: the scan, gateway-info, gwinfo and designers routes with Ignition's API-token
/// check and shapes, a record of every call, and behaviour that can be changed while it runs (<see cref="Control"/>).
/// Named <c>GatewaySimulator</c>, not <c>IgnitionSimulator</c>: a type named like its namespace's last segment cannot
/// be named from any <c>Stoker.*</c> namespace (C# finds the namespace <c>Stoker.IgnitionSimulator</c> first).
/// </summary>
public sealed class GatewaySimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewaySimulator(WebApplication app, SimulatorControl control, IReadOnlyList<Uri> urls)
    {
        _app = app;
        Control = control;
        Urls = urls;
    }

    /// <summary>The first address listened on, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl => Urls[0];

    public IReadOnlyList<Uri> Urls { get; }

    public SimulatorControl Control { get; }

    /// <summary>Starts listening; with no <see cref="IgnitionSimulatorOptions.Urls"/>, on a free loopback port.</summary>
    public static async Task<GatewaySimulator> StartAsync(IgnitionSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid simulator options: {string.Join("; ", errors)}", nameof(options));
        }

        var control = new SimulatorControl(options.TimeProvider, options.ListProjects);
        if (options.StartingFor is { } startingFor)
        {
            control.SetStarting(startingFor == Timeout.InfiniteTimeSpan ? null : startingFor);
        }

        // The slim builder starts in a fraction of the default builder's time and reads no appsettings files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewaySimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning);
        }

        if (!options.HandleShutdownSignals)
        {
            builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        }

        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        if (options.Certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var urls = options.Urls.Count > 0 ? options.Urls : [new Uri(options.Certificate is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0")];
            foreach (var url in urls)
            {
                Listen(kestrel, url, options);
            }
        });

        var app = builder.Build();
        app.UseGatewayBehaviour(control, options);
        app.MapGatewayRoutes(control, options);
        app.MapControlRoutes(control);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // A port in use (or a cancelled start) must not leave a half-built host behind.
            await app.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new GatewaySimulator(app, control, [.. addresses.Select(a => new Uri(a))]);
    }

    /// <summary>Completes when the host stops (SIGTERM/Ctrl+C for the stand-alone process).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, IgnitionSimulatorOptions options)
    {
        void Configure(ListenOptions listen)
        {
            if (options.Certificate is not null)
            {
                listen.UseHttps(options.Certificate);
            }
        }

        // Validate() admitted only IP literals and "localhost".
        if (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, url.Port, Configure);
        }
        else
        {
            kestrel.ListenLocalhost(url.Port, Configure);
        }
    }
}
