using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Secrets;
using Stoker.Silo.Webhooks;

namespace Stoker.Tests.Webhooks;

/// <summary>
/// The webhook receiver hosted as the silo hosts it (<see cref="WebhookReceiverExtensions.AddStokerWebhookReceiver"/>
/// and <see cref="WebhookReceiverExtensions.MapStokerWebhookReceiver"/>) on Kestrel at 127.0.0.1 on a free port,
/// talking to a real silo through the given grain factory.
/// </summary>
public sealed class ReceiverHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReceiverHost(WebApplication app, Uri address)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ReceiverHost> StartAsync(IGrainFactory grains, ISecretStore secrets, IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        if (Environment.GetEnvironmentVariable("STOKER_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(grains);
        builder.Services.AddSingleton(secrets);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        builder.Services.AddStokerWebhookReceiver(configuration);
        var app = builder.Build();
        app.MapStokerWebhookReceiver();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ReceiverHost(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
