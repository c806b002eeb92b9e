using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Prometheus;
using Stoker.AgentClient.Ignition;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Composes the long-running agent (docs/architecture.md, "The agent"), as <c>AddStokerSilo</c> composes the silo:
/// its settings, the Orleans client, the Ignition client, the sync runner and the worker. Everything that depends on a
/// setting reads <see cref="AgentOptions"/> when the host starts, after validation, so a host that is built with bad
/// settings fails at start with every problem named (<see cref="OptionsValidationException"/>) and does nothing else.
/// </summary>
public static class StokerAgentExtensions
{
    /// <summary>How long a call to the control plane may take; the first call after the silo went away waits this long.</summary>
    private static readonly TimeSpan ControlPlaneResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Bounds of the agent's health and metrics port, which only answers probes and scrapes.</summary>
    public const long HealthPortMaxBodyBytes = 4096;

    public const long HealthPortMaxConnections = 64;

    public const int HealthPortMaxHeaderBytes = 16 * 1024;

    public static readonly TimeSpan HealthPortHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the agent. Settings are bound from configuration by their documented variable names
    /// (<see cref="AgentOptionsSetup"/>) and validated at start (<see cref="AgentOptionsValidator"/>,
    /// <see cref="AgentPortsValidator"/>). The health and metrics endpoints are mapped by <see cref="MapStokerAgentEndpoints"/>.
    /// </summary>
    public static IServiceCollection AddStokerAgent(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AgentOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<AgentOptions>, AgentOptionsSetup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentPortsValidator>());
        // One instance for the whole agent: the monitor's, which ValidateOnStart validated (IOptions<T> would bind a second).
        services.AddSingleton(sp => sp.GetRequiredService<IOptionsMonitor<AgentOptions>>().CurrentValue);

        services.AddOptions<HostOptions>().Configure<IOptionsMonitor<AgentOptions>>((host, agent) =>
        {
            // The health server must answer while the Orleans client is still trying to reach the control plane
            // (its start retries until then); started one after another, the web server would start last.
            host.ServicesStartConcurrently = true;
            if (ValidOrNull(agent) is { } valid)
            {
                host.ShutdownTimeout = valid.ShutdownTimeout;
            }
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptionsMonitor<AgentOptions>>((kestrel, agent) =>
        {
            if (ValidOrNull(agent) is not { } valid)
            {
                return;
            }

            // The health and metrics port serves GETs only: no body, few connections, and a client sending headers
            // slowly is cut off (docs/security.md, "HTTP servers").
            kestrel.Limits.MaxRequestBodySize = HealthPortMaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = HealthPortMaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            kestrel.Limits.RequestHeadersTimeout = HealthPortHeadersTimeout;
            kestrel.Limits.MaxRequestHeadersTotalSize = HealthPortMaxHeaderBytes;
            kestrel.Listen(IPAddress.Any, valid.HealthPort);
            if (valid.MetricsPort != valid.HealthPort)
            {
                kestrel.Listen(IPAddress.Any, valid.MetricsPort);
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AgentHealth>();
        // Labelled with the agent's identity; settings that fail validation give unlabelled series instead of an
        // exception here, so that the agent still reports every invalid setting and exits 2 (AgentOptionsValidator).
        services.AddSingleton(sp => ValidOrNull(sp.GetRequiredService<IOptionsMonitor<AgentOptions>>()) is { } valid ? new AgentMetrics(valid) : new AgentMetrics());
        services.AddSingleton(sp => IgnitionClient.Create(
            sp.GetRequiredService<AgentOptions>().Ignition, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<SyncRunner>();
        services.AddHostedService<AgentWorker>();
        services.AddOrleansClient(client =>
        {
            client.UseStaticClustering(gateways => gateways.Configure<IOptionsMonitor<AgentOptions>>(
                (o, agent) => o.Gateways = [.. agent.CurrentValue.SiloEndpoints.Select(e => e.ToGatewayUri())]));
            client.Services.AddOptions<ClusterOptions>().Configure<IOptionsMonitor<AgentOptions>>((o, agent) =>
            {
                o.ClusterId = agent.CurrentValue.ClusterId;
                o.ServiceId = agent.CurrentValue.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ControlPlaneResponseTimeout);
            client.UseConnectionRetryFilter<ControlPlaneConnectionRetry>();
            // TLS unless SILO_ALLOW_INSECURE: the validator refused the start already when no CA was given.
            client.Services.AddOptions<ClientConnectionOptions>().Configure<IOptionsMonitor<AgentOptions>, ILoggerFactory>((connections, agent, logs) =>
            {
                if (ValidOrNull(agent) is { SiloAllowInsecure: false, SiloCaCertificates: { } ca } valid)
                {
                    var tls = SiloTlsClient.CreateOptions(ca, valid.SiloTlsServerName, logs.CreateLogger(typeof(SiloTlsClient).FullName!));
                    connections.ConfigureConnection(connection => connection.UseClientTls(tls));
                }
            });
            client.AddOutgoingGrainCallFilter<AgentCredentialCallFilter>();
        });
        return services;
    }

    /// <summary>
    /// The settings, or <see langword="null"/> when they are invalid. The host and Kestrel read their options while the
    /// host is being built, before validation can report anything; with bad settings the host never starts
    /// (ValidateOnStart fails naming every problem), so what these options hold then does not matter.
    /// </summary>
    private static AgentOptions? ValidOrNull(IOptionsMonitor<AgentOptions> agent)
    {
        try
        {
            return agent.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    /// <summary>Probes (<c>/healthz</c>, <c>/readyz</c>, <c>/startupz</c>) and <c>/metrics</c> (docs/standalone-agent.md).</summary>
    public static IEndpointRouteBuilder MapStokerAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var health = endpoints.ServiceProvider.GetRequiredService<AgentHealth>();
        var metrics = endpoints.ServiceProvider.GetRequiredService<AgentMetrics>();
        endpoints.Map("/healthz", () => Results.Text("ok"));
        endpoints.Map("/readyz", () => health.Stopping ? Results.Text("shutting down", statusCode: 503)
            : health.Started ? Results.Text("ok") : Results.Text("not ready", statusCode: 503));
        endpoints.Map("/startupz", () => health.Started ? Results.Text("ok") : Results.Text("starting", statusCode: 503));
        endpoints.Map("/metrics", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
        return endpoints;
    }
}
