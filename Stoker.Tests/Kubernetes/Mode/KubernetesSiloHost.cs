using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoker.Silo.Api;
using Stoker.Silo.Hosting;
using Stoker.Silo.Kubernetes;
using Stoker.Silo.Persistence;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Persistence;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>
/// A real silo in Kubernetes mode, composed as <c>stoker-silo</c> composes it (AddStokerSilo, AddStokerApplyApi,
/// AddStokerKubernetes), talking to the API server named by a kubeconfig through KubernetesClient.
/// </summary>
public sealed class KubernetesSiloHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private KubernetesSiloHost(IHost host, CapturedLogs logs, string identity)
    {
        _host = host;
        Logs = logs;
        Identity = identity;
    }

    public CapturedLogs Logs { get; }

    public string Identity { get; }

    public IServiceProvider Services => _host.Services;

    public GatewaySyncStore Store => Services.GetRequiredService<GatewaySyncStore>();

    public IClusterClient Client => Services.GetRequiredService<IClusterClient>();

    public GatewaySyncWatcher Watcher => Services.GetRequiredService<GatewaySyncWatcher>();

    public GatewaySyncEventHandler Handler => Services.GetRequiredService<GatewaySyncEventHandler>();

    public KubernetesStatusWriter StatusWriter => Services.GetRequiredService<KubernetesStatusWriter>();

    /// <summary>How many times this silo applied <paramref name="key"/> from its custom resource (from its logs).</summary>
    public int AppliedCount(string key) => Logs.Lines.Count(l => l.Contains($"GatewaySync {key} applied from its custom resource", StringComparison.Ordinal));

    public static async Task<KubernetesSiloHost> StartAsync(string kubeconfig, string identity, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        if (Environment.GetEnvironmentVariable("STOKER_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole();
        }

        var settings = new Dictionary<string, string?>
        {
            [SiloModeResolver.ModeSetting] = nameof(SiloMode.Kubernetes),
            ["Stoker:Kubernetes:KubeconfigPath"] = kubeconfig,
            ["Stoker:Kubernetes:Identity"] = identity,
            ["Stoker:Kubernetes:LeaseNamespace"] = "stoker-system",
            ["Stoker:Kubernetes:LeaseDuration"] = "00:00:04",
            ["Stoker:Kubernetes:RenewDeadline"] = "00:00:03",
            ["Stoker:Kubernetes:RetryPeriod"] = "00:00:00.500",
            ["Stoker:Kubernetes:MinBackoff"] = "00:00:00.100",
            ["Stoker:Kubernetes:MaxBackoff"] = "00:00:02",

            // These tests drive the watches and the status with token-less client agents; the identity check has its
            // own tests (Kubernetes/Identity), which turn this back off.
            ["Stoker:Kubernetes:AgentIdentity:AllowRegistrationsWithoutToken"] = "true",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var clusterId = "k8s-" + Guid.NewGuid().ToString("N")[..8];
        builder.AddStokerSilo(new StokerSiloOptions
        {
            SiloPort = FreePort.Next(),
            GatewayPort = FreePort.Next(),
            ClusterId = clusterId,
            ServiceId = clusterId,
            MinimumReminderPeriod = TimeSpan.FromSeconds(1),
        }, new StokerStorageOptions());
        builder.Services.AddStokerApplyApi(builder.Configuration);
        builder.Services.AddStokerKubernetes(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new KubernetesSiloHost(host, logs, identity);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _host.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped as far as it would.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
