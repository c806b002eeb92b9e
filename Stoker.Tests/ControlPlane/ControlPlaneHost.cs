using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Stoker.AgentClient.Runtime;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Hosting;
using Stoker.Silo.Persistence;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// A real silo composed exactly as <c>stoker-silo</c> composes it (<see cref="StokerSiloHostExtensions.AddStokerSilo"/>)
/// plus a real Orleans client, both on loopback TCP ports. Reminders may be as short as a second.
/// </summary>
/// <remarks>
/// <see cref="Client"/> is the silo's own cluster client, as the silo's HTTP API and webhook receiver use it: the
/// administrator's view, allowed every grain. <see cref="AgentClient"/> is a client over TCP, as an agent (or anyone
/// on the gateway port) has one: the silo lets it call the agent interface only. It is a TRUSTED client
/// (<see cref="TrustedAgentCredentials"/>): it holds the silo's agent-token key and presents a token for whichever
/// gateway it calls, so it can play many agents.
/// </remarks>
public sealed class ControlPlaneHost : IAsyncDisposable
{
    private readonly IHost _silo;
    private readonly IHost _client;

    private readonly bool _ownsStatePath;

    private ControlPlaneHost(IHost silo, IHost client, StokerSiloOptions options, bool ownsStatePath)
    {
        _silo = silo;
        _client = client;
        Options = options;
        _ownsStatePath = ownsStatePath;
    }

    /// <summary>The silo's agent-token key file (in its state folder).</summary>
    public string AgentTokenKeyFile => StokerStateFolder.AgentTokenKeyFile(Options.EffectiveStatePath);

    public StokerSiloOptions Options { get; }

    /// <summary>The CA agents must be given (<c>SILO_CA_FILE</c>): the silo's state folder's, or <c>Stoker:Silo:Tls:CaFile</c>.</summary>
    public string CaFile => Options.Tls.CaFile is { Length: > 0 } file ? file : StokerStateFolder.CaCertificateFile(Options.EffectiveStatePath);

    /// <summary>The silo's in-process cluster client (the silo's own code calls grains through it).</summary>
    public IClusterClient Client => _silo.Services.GetRequiredService<IClusterClient>();

    /// <summary>A real Orleans client connected over the gateway port, as an agent's.</summary>
    public IClusterClient AgentClient => _client.Services.GetRequiredService<IClusterClient>();

    public IServiceProvider SiloServices => _silo.Services;

    public static async Task<ControlPlaneHost> StartAsync(string? connectionString = null, Action<StokerSiloOptions>? configure = null, StokerSiloOptions? reuse = null)
    {
        var options = reuse ?? new StokerSiloOptions
        {
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            ClusterId = "cp-" + Guid.NewGuid().ToString("N")[..8],
            MinimumReminderPeriod = TimeSpan.FromSeconds(1),
            AgentSessionExpiry = TimeSpan.FromSeconds(60),
        };
        configure?.Invoke(options);
        // Never the user's own state folder: a host gets one of its own under the test temp root unless the test
        // shares one (silos of one cluster, a restart that keeps its CA and keys).
        // A folder the host made is deleted with it; a folder the test gave (shared by silos of one cluster, or kept
        // across a restart so the agents' CA stays valid) belongs to the test.
        var ownsStatePath = options.StatePath is null;
        options.StatePath ??= Path.Join(Path.GetTempPath(), "stoker-tests", "cp-state-" + Guid.NewGuid().ToString("N"));
        options.ServiceId = options.ClusterId;

        var siloBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        siloBuilder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("STOKER_TEST_LOGS") == "1")
        {
            // Opt-in while debugging a test: silo logs on the console.
            siloBuilder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Information);
        }
        siloBuilder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        siloBuilder.AddStokerSilo(options, new StokerStorageOptions { ConnectionString = connectionString });
        var silo = siloBuilder.Build();
        await silo.StartAsync();

        var clientBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        clientBuilder.Logging.ClearProviders();
        clientBuilder.UseOrleansClient(c =>
        {
            c.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            if (!options.AllowInsecureAgents)
            {
                c.UseSiloTls(SiloCertificateTrust.ReadPemFile(
                    options.Tls.CaFile is { Length: > 0 } file ? file : StokerStateFolder.CaCertificateFile(options.EffectiveStatePath), "CA"));
            }

            c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            c.AddOutgoingGrainCallFilter(new TrustedAgentCredentials(StokerStateFolder.AgentTokenKeyFile(options.StatePath)));
        });
        var client = clientBuilder.Build();
        await client.StartAsync();
        return new ControlPlaneHost(silo, client, options, ownsStatePath);
    }

    public IGatewaySyncGrain GatewaySync(string ns, string name) => Client.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync(ns, name));

    public IGatewayGrain Gateway(string ns, string crName, string gatewayName) => Client.GetGrain<IGatewayGrain>(GrainKeys.Gateway(ns, crName, gatewayName));

    /// <summary>Stops the silo only (the client stays, as an agent would).</summary>
    public Task StopSiloAsync() => StopAsync(_silo);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_client);
        await StopAsync(_silo);
        if (_ownsStatePath)
        {
            TempDirectory.DeleteRecursively(Options.StatePath!);
        }
    }

    private static async Task StopAsync(IHost host)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Already stopped.
        }
        finally
        {
            host.Dispose();
        }
    }
}
