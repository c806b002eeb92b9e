using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoker.Silo.Api;
using Stoker.Tests.Persistence;

namespace Stoker.Tests.Api;

/// <summary>
/// The apply API (and, when configured, the manifests folder) hosted as the silo hosts it —
/// <see cref="ApplyApiExtensions.AddStokerApplyApi"/> and <see cref="ApplyApiExtensions.MapStokerApplyApi"/> — on
/// Kestrel at 127.0.0.1 on a free port, talking to a real silo through the given grain factory.
/// </summary>
public sealed class ApplyApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApplyApiHost(WebApplication app, Uri address, CapturedLogs logs)
    {
        _app = app;
        Address = address;
        Logs = logs;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<ApplyApiHost> StartAsync(IGrainFactory grains, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        if (Environment.GetEnvironmentVariable("STOKER_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(grains);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        builder.Services.AddStokerApplyApi(configuration);
        var app = builder.Build();
        app.MapStokerApplyApi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ApplyApiHost(app, new Uri(app.Urls.Single()), logs);
    }

    public static string ItemPath(string ns, string name) => $"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}";

    public static string CollectionPath(string ns) => $"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs";

    public const string AllPath = "/apis/stoker.io/v1alpha1/gatewaysyncs";

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/yaml", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await Http.SendAsync(request);
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
