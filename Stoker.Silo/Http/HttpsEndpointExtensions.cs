using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stoker.Silo.Authentication;
using Stoker.Silo.Hosting;
using Stoker.Silo.Transport;

namespace Stoker.Silo.Http;

public static class HttpsEndpointExtensions
{
    /// <summary>
    /// Serves the silo's HTTP API over HTTPS too, on <see cref="StokerSiloOptions.HttpsPort"/> of every address the
    /// HTTP port listens on, with the silo's certificate (generated in the state folder, or the configured files):
    /// kubectl sends a kubeconfig's token only over TLS (docs/kubectl.md, "HTTPS"). Endpoints in code replace
    /// <c>--urls</c> in Kestrel, so the configured URLs are bound here as well, unchanged. A silo whose
    /// <c>Kestrel:Endpoints</c> are configured keeps exactly those: whoever wrote them chose every endpoint.
    /// </summary>
    public static IServiceCollection AddStokerHttpsEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, provider) =>
        {
            var silo = provider.GetService<IOptions<StokerSiloOptions>>()?.Value;
            var material = provider.GetService<SiloTlsMaterial>();
            if (silo is null || material is null || silo.HttpsPort == 0 || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
            {
                return;
            }

            var hosts = new List<string>();
            foreach (var url in ListenAddresses.Configured(configuration))
            {
                var address = BindingAddress.Parse(url);
                Listen(kestrel, address.Host, address.Port, https: string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? material : null);
                if (!hosts.Contains(address.Host, StringComparer.OrdinalIgnoreCase))
                {
                    hosts.Add(address.Host);
                }
            }

            foreach (var host in hosts)
            {
                Listen(kestrel, host, silo.HttpsPort, material);
            }
        });
        return services;
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, SiloTlsMaterial? https)
    {
        void Configure(ListenOptions listen)
        {
            if (https is not null)
            {
                listen.UseHttps(https.Certificate);
            }
        }

        if (host is "*" or "+" or "0.0.0.0" or "[::]" or "::")
        {
            kestrel.ListenAnyIP(port, Configure);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, port, Configure);
        }
        else
        {
            // A host name binds every address, as Kestrel itself does for --urls with a name.
            kestrel.ListenAnyIP(port, Configure);
        }
    }
}
