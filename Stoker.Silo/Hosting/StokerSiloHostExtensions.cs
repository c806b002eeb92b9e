using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Stoker.Grains;
using Stoker.Grains.Secrets.GitHubApp;
using Stoker.Silo.Kubernetes;
using Stoker.Silo.Persistence;
using Stoker.Silo.Security;
using Stoker.Silo.Transport;

namespace Stoker.Silo.Hosting;

public static class StokerSiloHostExtensions
{
    /// <summary>
    /// Composes the control plane's Orleans silo: clustering (localhost in memory, ADO.NET on PostgreSQL), grain
    /// storage and reminders, and the grains' services. Options come from configuration unless given.
    /// </summary>
    public static IHostApplicationBuilder AddStokerSilo(this IHostApplicationBuilder builder, StokerSiloOptions? silo = null, StokerStorageOptions? storage = null)
    {
        silo ??= builder.Configuration.GetSection(StokerSiloOptions.SectionName).Get<StokerSiloOptions>() ?? new StokerSiloOptions();
        storage ??= builder.Configuration.GetSection(StokerStorageOptions.SectionName).Get<StokerStorageOptions>() ?? new StokerStorageOptions();
        var validation = new StokerSiloOptionsValidator().Validate(null, silo);
        if (validation.Failed)
        {
            throw new OptionsValidationException(StokerSiloOptions.SectionName, typeof(StokerSiloOptions), validation.Failures);
        }

        var kubernetesHosting = OrleansKubernetesHosting.Applies(builder.Configuration);
        if (kubernetesHosting)
        {
            OrleansKubernetesHosting.CheckClusterIdentity(silo);
        }

        // Loaded (or created) here so bad certificate files stop the start with the setting, path and problem named.
        var material = SiloTlsMaterialLoader.Load(silo, TimeProvider.System);
        var transport = new SiloTransport(material, silo.AllowInsecureAgents);
        builder.Services.AddSingleton(Options.Create(silo));
        // The HTTP API's HTTPS endpoint serves the same certificate (Stoker.Silo/Http/HttpsEndpointExtensions.cs).
        builder.Services.AddSingleton(material);
        builder.AddStokerAgentCredentials(silo);
        builder.Services.AddStokerGrains(o =>
        {
            o.SecretsPath = silo.SecretsPath;
            o.AgentSessionExpiry = silo.AgentSessionExpiry;
        });
        builder.Services.Configure<GitHubAppOptions>(builder.Configuration.GetSection(GitHubAppOptions.SectionName));
        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = silo.ClusterId;
                o.ServiceId = silo.ServiceId;
            });
            if (storage.UsesPostgres && kubernetesHosting && silo.AdvertisedAddress is not { Length: > 0 })
            {
                // Only the ports: Orleans' Kubernetes hosting advertises POD_IP and listens on every interface.
                orleans.Configure<EndpointOptions>(o =>
                {
                    o.SiloPort = silo.SiloPort;
                    o.GatewayPort = silo.GatewayPort;
                });
            }
            else if (storage.UsesPostgres)
            {
                var address = silo.AdvertisedAddress is { Length: > 0 } a ? IPAddress.Parse(a) : IPAddress.Loopback;
                orleans.ConfigureEndpoints(address, silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: silo.AdvertisedAddress is { Length: > 0 });
            }
            else
            {
                orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId);
            }

            orleans.UseStokerTransport(transport);
            orleans.AddIncomingGrainCallFilter<ClientCallFilter>();
            orleans.Services.AddSingleton<SiloCallProof>();
            orleans.AddOutgoingGrainCallFilter<SiloCallProofFilter>();
            orleans.UseStokerStorage(storage);
            orleans.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = silo.MinimumReminderPeriod);
            if (kubernetesHosting)
            {
                orleans.UseKubernetesHosting(o => o.Configure(h => OrleansKubernetesHosting.Configure(h, builder.Configuration)));
            }
        });
        return builder;
    }
}
