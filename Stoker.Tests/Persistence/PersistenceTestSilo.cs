using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Stoker.Silo.Persistence;

namespace Stoker.Tests.Persistence;

/// <summary>
/// A silo hosted the way production hosts it (generic host + <c>UseOrleans</c> + <c>UseStokerStorage</c>),
/// on loopback ports, with timings shortened so restarts and reminders fit in a test.
/// </summary>
public static class PersistenceTestSilo
{
    public const string ClusterId = "stoker-tests";

    public static IHost Build(
        StokerStorageOptions storage,
        int siloPort,
        int gatewayPort,
        CapturedLogs? logs = null,
        Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ClusterId;
            });
            if (storage.UsesPostgres)
            {
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort);
            }

            silo.UseStokerStorage(storage);

            // Reminders tick every second instead of every minute, and a silo that cannot reach the
            // cluster gives up quickly, so restart scenarios finish in seconds.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.MaxJoinAttemptTime = TimeSpan.FromSeconds(10);
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
            });
            configure?.Invoke(silo);
        });
        return builder.Build();
    }

    public static async Task StopAsync(IHost host)
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
