using System.Globalization;
using Stoker.Grains.Interfaces.Resources;
using Stoker.IgnitionSimulator;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>acceptance.md section H with a real silo, a real agent process, the Ignition simulator and real git.</summary>
public sealed class AgentLifecycleTests : IAsyncLifetime
{
    private const string Token = "stoker:secret-token";
    private readonly TempDirectory _temp = new("agent-e2e");
    private readonly GitRepository _repo = GitRepository.Create();
    private ControlPlaneHost _host = null!;
    private GatewaySimulator _gateway = null!;

    public async Task InitializeAsync()
    {
        _repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
        _repo.WriteFile("config/system-properties/config.json", "{\"systemName\":\"x\"}");
        _repo.Commit("initial");
        _host = await ControlPlaneHost.StartAsync();
        _gateway = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = Token, Urls = [new Uri("http://127.0.0.1:0")] });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _host.DisposeAsync();
        _repo.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task InitialSync_FilesLandBeforeStartupProbe_ScansInOrder_PushReachesAgent()
    {
        await _host.GatewaySync("ns", "site").Apply(ResourceBuilder.Create("site", _repo.Path, "main", "  polling:\n    enabled: false", Profiles));
        await using var agent = StartAgent("gw-1");

        await Eventually.Until(() => agent.GetAsync(agent.HealthPort, "/startupz"), r => r.Status == 200, TimeSpan.FromSeconds(60), "the startup probe\n" + agent.Output);
        Assert.True(File.Exists(Path.Join(agent.DataPath, "projects", "Alpha", "project.json")), agent.Output);

        var calls = await Eventually.Until(() => Task.FromResult(_gateway.Control.Calls.Where(c => c.Path.Contains("/scan/", StringComparison.Ordinal)).ToList()),
            c => c.Count >= 2, TimeSpan.FromSeconds(30), "both scans\n" + agent.Output);
        Assert.EndsWith("/scan/projects", calls[0].Path, StringComparison.Ordinal);
        Assert.EndsWith("/scan/config", calls[1].Path, StringComparison.Ordinal);
        Assert.All(calls, c => Assert.True(c.Authorized));
        await Eventually.Until(_host.GatewaySync("ns", "site").Get, r => r!.Status!.Conditions!.Any(c => c.Type == ConditionTypes.Ready && c.Status == ConditionStatus.True),
            TimeSpan.FromSeconds(30), "Ready=True\n" + agent.Output);

        _repo.WriteFile("projects/Beta/project.json", "{}");
        var commit = _repo.Commit("second");
        await _host.GatewaySync("ns", "site").RequestRef(new() { Ref = "main", Commit = commit, Source = "github", RequestedAt = DateTimeOffset.UnixEpoch });

        await Eventually.Until(() => Task.FromResult(File.Exists(Path.Join(agent.DataPath, "projects", "Beta", "project.json"))), b => b, TimeSpan.FromSeconds(30), "the pushed commit on disk\n" + agent.Output);
        var gateway = await Eventually.Until(_host.GatewaySync("ns", "site").Get, r => r!.Status!.DiscoveredGateways?.SingleOrDefault()?.SyncedCommit == commit, TimeSpan.FromSeconds(30), "the report of the new commit");
        Assert.Equal(GatewaySyncStatusValue.Synced, gateway!.Status!.DiscoveredGateways![0].SyncStatus);
    }

    private const string Profiles = """
              default:
                mappings:
                  - source: projects
                    destination: projects
                  - source: config
                    destination: config
        """;

    private AgentProcessHost StartAgent(string gatewayName)
    {
        var tokenFile = _temp.Combine(gatewayName + "-token");
        File.WriteAllText(tokenFile, Token);
        var environment = new Dictionary<string, string>
        {
            ["CR_NAME"] = "site",
            ["CR_NAMESPACE"] = "ns",
            ["POD_NAME"] = gatewayName + "-0",
            ["GATEWAY_NAME"] = gatewayName,
            ["REPO_PATH"] = _temp.Combine(gatewayName + "-work"),
            ["GATEWAY_PORT"] = _gateway.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            ["API_KEY_FILE"] = tokenFile,
            ["SILO_ENDPOINTS"] = "127.0.0.1:" + _host.Options.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["ORLEANS_CLUSTER_ID"] = _host.Options.ClusterId,
            ["ORLEANS_SERVICE_ID"] = _host.Options.ServiceId,
            ["HEARTBEAT_INTERVAL"] = "1",
            ["POST_COMMISSION_INTERVAL"] = "1",
        };
        return AgentProcessHost.Start(environment, _temp.Combine(gatewayName + "-data"));
    }
}
