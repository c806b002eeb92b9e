using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoker.AgentClient.Runtime;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// A second Orleans client, as a separate agent would be; <see cref="Kill"/> drops it without a goodbye. With
/// <c>agentTokenKeyFile</c> it is a trusted client (<see cref="TrustedAgentCredentials"/>); with <c>credential</c> it
/// presents what that gives for the grain called (a real agent: one credential for everything); with neither, none.
/// </summary>
public sealed class AgentClientHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _killed;

    private AgentClientHost(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Connects over TLS trusting the CA in <paramref name="caFile"/> (without one, over plain TCP: a silo with
    /// <c>AllowInsecureAgents</c>). With <paramref name="agentTokenKeyFile"/> it is a trusted client that mints a
    /// credential for whichever gateway it calls; with <paramref name="credential"/> it presents what that gives for a key.
    /// </summary>
    public static async Task<AgentClientHost> StartAsync(int gatewayPort, string clusterId, string? serviceId = null, string? caFile = null, string? agentTokenKeyFile = null, Func<string, string?>? credential = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c =>
        {
            c.UseLocalhostClustering(gatewayPort, serviceId ?? clusterId, clusterId);
            if (caFile is not null)
            {
                c.UseSiloTls(SiloCertificateTrust.ReadPemFile(caFile, "CA"));
            }

            if (agentTokenKeyFile is not null)
            {
                c.AddOutgoingGrainCallFilter(new TrustedAgentCredentials(agentTokenKeyFile));
            }
            else if (credential is not null)
            {
                c.AddOutgoingGrainCallFilter(context =>
                {
                    if (!context.TargetId.IsSystemTarget() && credential(context.TargetId.Key.ToString()) is { } value)
                    {
                        RequestContext.Set(Stoker.Grains.Interfaces.Security.AgentCredential.RequestContextKey, value);
                    }

                    return context.Invoke();
                });
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return new AgentClientHost(host);
    }

    /// <summary>Tears the client down with an already-cancelled token: no graceful close of its connections.</summary>
    public void Kill()
    {
        _killed = true;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        try
        {
            _host.StopAsync(cancelled.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Expected: the stop was cut short on purpose.
        }

        _host.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        if (!_killed)
        {
            Kill();
        }

        return ValueTask.CompletedTask;
    }
}
