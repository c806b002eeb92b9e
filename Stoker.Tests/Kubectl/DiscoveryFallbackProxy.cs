using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Stoker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// A loopback HTTPS reverse proxy in front of a silo for the write-side kubectl tests. HTTPS because kubectl
/// (client-go) sends a kubeconfig's token only over TLS: against a plain-http server it sends no Authorization at
/// all. Every request goes to the silo
/// as sent; only when the silo answers 404 for a discovery document (<c>/api</c>, <c>/apis</c>, <c>/api/v1</c>,
/// <c>/apis/stoker.io/v1alpha1</c>, <c>/version</c>) does it answer with a minimal one of its own, so that these
/// tests do not depend on the silo's discovery (built on another branch). Once the silo serves discovery, the
/// proxy passes it through untouched.
/// </summary>
public sealed class DiscoveryFallbackProxy : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Fallbacks = new(StringComparer.Ordinal)
    {
        ["/api"] = """{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""",
        ["/apis"] = """{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"stoker.io","versions":[{"groupVersion":"stoker.io/v1alpha1","version":"v1alpha1"}],"preferredVersion":{"groupVersion":"stoker.io/v1alpha1","version":"v1alpha1"}}]}""",
        ["/api/v1"] = """{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["create","delete","get","list","patch","update"]}]}""",
        ["/apis/stoker.io/v1alpha1"] = """{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"stoker.io/v1alpha1","resources":[{"name":"gatewaysyncs","singularName":"gatewaysync","namespaced":true,"kind":"GatewaySync","shortNames":["gs"],"verbs":["create","delete","get","list","patch","update"]}]}""",
        ["/version"] = """{"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""",
    };

    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Connection", "Keep-Alive", "Content-Length" };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private readonly X509Certificate2 _certificate;

    private DiscoveryFallbackProxy(WebApplication app, HttpClient upstream, X509Certificate2 certificate, int port)
    {
        _app = app;
        _upstream = upstream;
        _certificate = certificate;
        Address = new Uri($"https://127.0.0.1:{port}");
    }

    /// <summary>The proxy's https address; its certificate is self-signed (kubectl runs with --insecure-skip-tls-verify).</summary>
    public Uri Address { get; }

    public static async Task<DiscoveryFallbackProxy> StartAsync(Uri silo)
    {
        var certificate = SelfSigned();
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = silo, Timeout = TimeSpan.FromMinutes(2) };
        var proxy = new DiscoveryFallbackProxy(app, upstream, certificate, port);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var answer = await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        if (answer.StatusCode == System.Net.HttpStatusCode.NotFound && request.Method == "GET" && Fallbacks.TryGetValue(request.Path.Value ?? "", out var fallback))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(fallback, Encoding.UTF8, context.RequestAborted);
            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        // Streamed, so a watch (get -w) passes through as it comes.
        await using var stream = await answer.Content.ReadAsStreamAsync(context.RequestAborted);
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
