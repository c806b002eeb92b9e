using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Stoker.AgentClient.Runtime;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>
/// <see cref="StokerAgentExtensions.AddStokerAgent"/>: the agent's settings bound from configuration by their
/// documented variable names and validated at start, every failure naming the setting, the value and the rule.
/// (The command line's exit code 2 and stderr are in <see cref="AgentOptionsTests"/>.)
/// </summary>
public sealed class AddStokerAgentTests : IDisposable
{
    private readonly TempDirectory _temp = new("add-stoker-agent");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Options_DocumentedVariables_AreBound()
    {
        using var services = Services(new()
        {
            ["CR_NAME"] = "site",
            ["CR_NAMESPACE"] = "plant",
            ["POD_NAME"] = "ignition-0",
            ["PROFILE"] = "edge",
            ["SYNC_PERIOD"] = "45",
            ["POD_LABELS"] = "site=north, tier=edge",
            ["SILO_ENDPOINTS"] = "127.0.0.1:31000, 127.0.0.2:31001",
            ["SILO_CA"] = CaPem,
            ["SILO_TLS_SERVER_NAME"] = "silo.example",
            ["GATEWAY_PORT"] = "9088",
            ["VERIFY_INTERVAL"] = "0",
            ["REPO_PATH"] = _temp.Combine("work"),
            ["DATA_PATH"] = _temp.Combine("data"),
            ["HEALTH_PORT"] = "0",
            ["METRICS_PORT"] = "0",
        });

        var options = services.GetRequiredService<AgentOptions>();

        Assert.Same(options, services.GetRequiredService<IOptionsMonitor<AgentOptions>>().CurrentValue);
        Assert.Equal("ignition-0", options.GatewayName);
        Assert.Equal("edge", options.Profile);
        Assert.Equal(45, options.SyncPeriodSeconds);
        Assert.Equal(TimeSpan.Zero, options.VerifyInterval);
        Assert.Equal(new Dictionary<string, string> { ["site"] = "north", ["tier"] = "edge" }, options.Labels);
        Assert.Equal(["127.0.0.1:31000", "127.0.0.2:31001"], options.SiloEndpoints.Select(e => e.ToString()));
        Assert.Equal("CN=Stoker local CA (test), O=Stoker", Assert.Single(options.SiloCaCertificates!).Subject);
        Assert.Equal(("silo.example", false), (options.SiloTlsServerName, options.SiloAllowInsecure));
        Assert.Equal(new Uri("http://localhost:9088/"), options.Ignition.BaseUrl);
        Assert.Equal(AgentOptions.Parse(Variables(services), out var errors).GatewayKey, options.GatewayKey);
        Assert.Empty(errors);
    }

    [Fact]
    public void Options_Unset_TakeTheDocumentedDefaults()
    {
        // Plain TCP is the one setting a start without a CA needs.
        using var services = Services(new() { ["CR_NAME"] = "site", ["CR_NAMESPACE"] = "plant", ["HEALTH_PORT"] = "0", ["METRICS_PORT"] = "0", ["SILO_ALLOW_INSECURE"] = "true" });

        var options = services.GetRequiredService<AgentOptions>();

        Assert.Equal("/repo", options.RepoPath);
        Assert.Equal(("stoker-silo", null, null), (options.SiloTlsServerName, options.SiloCaFile, options.SiloCaCertificates));
        Assert.Equal("/ignition-data", options.DataPath);
        Assert.Equal(30, options.SyncPeriodSeconds);
        Assert.Equal(["127.0.0.1:30000"], options.SiloEndpoints.Select(e => e.ToString()));
        Assert.Equal(("stoker", "stoker"), (options.ClusterId, options.ServiceId));
        Assert.Equal(TimeSpan.FromSeconds(20), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), options.VerifyInterval);
        Assert.Equal(new Uri("http://localhost:8088/"), options.Ignition.BaseUrl);
    }

    [Fact]
    public void Options_InvalidSettings_FailNamingSettingValueAndRule()
    {
        using var services = Services(new()
        {
            ["CR_NAMESPACE"] = "plant",
            ["SYNC_PERIOD"] = "abc",
            ["SILO_ENDPOINTS"] = "nonsense",
            ["GATEWAY_TLS"] = "maybe",
            ["AGENT_TOKEN_FILE"] = "token",
            ["REPO_PATH"] = _temp.Combine("same"),
            ["DATA_PATH"] = _temp.Combine("same"),
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<AgentOptions>());

        Assert.Contains("SYNC_PERIOD (--sync-period): \"abc\": must be an integer between 1 and 86400", error.Failures);
        Assert.Contains("SILO_ENDPOINTS (--silo-endpoints): \"nonsense\": must be host:port (comma-separated for several silos)", error.Failures);
        Assert.Contains("GATEWAY_TLS: \"maybe\": must be true or false", error.Failures);
        Assert.Contains("CR_NAME (--cr-name): required: the GatewaySync this gateway belongs to", error.Failures);
        Assert.Contains("AGENT_TOKEN_FILE (--agent-token-file): \"token\": must be an absolute path", error.Failures);
        Assert.Contains($"REPO_PATH (--repo-path): \"{_temp.Combine("same")}\": must differ from DATA_PATH", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("SILO_CA_FILE (--silo-ca-file) or SILO_CA: required: the CA that issued the silo's certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_InvalidSettings_FailsAtStartBeforeStartingAnything()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["CR_NAME"] = "", ["CR_NAMESPACE"] = "plant", ["HEALTH_PORT"] = "0", ["METRICS_PORT"] = "0", ["SILO_ALLOW_INSECURE"] = "true" });
        builder.Services.AddStokerAgent();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["CR_NAME (--cr-name): required: the GatewaySync this gateway belongs to"], error.Failures);
        Assert.False(host.Services.GetRequiredService<AgentHealth>().Started);
    }

    /// <summary>A CA made as a local silo makes its own.</summary>
    private static string CaPem => Stoker.Silo.Transport.SiloCertificateAuthority.CreateCa(DateTimeOffset.UnixEpoch.AddYears(56), "test").ExportCertificatePem();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddStokerAgent()
            .BuildServiceProvider();
    }

    private static Func<string, string?> Variables(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        return name => configuration[name];
    }
}
