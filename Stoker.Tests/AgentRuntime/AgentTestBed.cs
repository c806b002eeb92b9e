using System.Globalization;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.IgnitionSimulator;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>
/// One scenario of section H: a real silo (in memory, or on PostgreSQL), the Ignition simulator, a real git
/// repository, and as many <c>stoker-agent run</c> processes as the test starts. Everything goes on dispose.
/// </summary>
public sealed class AgentTestBed : IAsyncDisposable
{
    public const string Token = "stoker:secret-token";
    public const string Namespace = "ns";
    public const string CrName = "site";

    public const string DefaultProfiles = """
              default:
                mappings:
                  - source: projects
                    destination: projects
                  - source: config
                    destination: config
        """;

    private readonly List<AgentProcessHost> _agents = [];

    private AgentTestBed(TempDirectory temp, GitRepository repo, ControlPlaneHost host, GatewaySimulator gateway)
    {
        Temp = temp;
        Repo = repo;
        Host = host;
        Gateway = gateway;
    }

    public TempDirectory Temp { get; }

    public GitRepository Repo { get; }

    /// <summary>The control plane; replaced by <see cref="RestartSiloAsync"/>.</summary>
    public ControlPlaneHost Host { get; private set; }

    public GatewaySimulator Gateway { get; }

    public static async Task<AgentTestBed> StartAsync(string? connectionString = null)
    {
        var temp = new TempDirectory("agent-e2e");
        var repo = GitRepository.Create();
        ControlPlaneHost? host = null;
        try
        {
            repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
            repo.WriteFile("config/system-properties/config.json", "{\"systemName\":\"x\"}");
            repo.Commit("initial");
            // The bed's own state folder: a restarted silo keeps the CA the agents were given and the key their tokens were signed with.
            host = await ControlPlaneHost.StartAsync(connectionString, o => o.StatePath = temp.Combine("silo-state"));
            var gateway = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = Token, Urls = [new Uri("http://127.0.0.1:0")] });
            return new AgentTestBed(temp, repo, host, gateway);
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            repo.Dispose();
            temp.Dispose();
            throw;
        }
    }

    /// <summary>Applies the GatewaySync <see cref="CrName"/> tracking <c>main</c> of <see cref="Repo"/>.</summary>
    public Task<GatewaySync> ApplyAsync(string profiles = DefaultProfiles, string extraSpec = "  polling:\n    enabled: false") =>
        Host.GatewaySync(Namespace, CrName).ApplyAndReconcile(ResourceBuilder.Create(CrName, Repo.Path, "main", extraSpec, profiles, Namespace));

    /// <summary>Commits a new project folder and tells the control plane (as a webhook would); returns the commit.</summary>
    public async Task<string> PushCommitAsync(string project)
    {
        Repo.WriteFile($"projects/{project}/project.json", $"{{\"title\":\"{project}\"}}");
        var commit = Repo.Commit("add " + project);
        await Host.GatewaySync(Namespace, CrName).RequestRef(new() { Ref = "main", Commit = commit, Source = "github", RequestedAt = DateTimeOffset.UnixEpoch });
        return commit;
    }

    /// <summary>Starts an agent for <paramref name="gatewayName"/>; <paramref name="environment"/> adds or overrides variables.</summary>
    public AgentProcessHost StartAgent(string gatewayName, IReadOnlyDictionary<string, string>? environment = null)
    {
        var tokenFile = Temp.Combine(gatewayName + "-token");
        File.WriteAllText(tokenFile, Token);
        var variables = new Dictionary<string, string>
        {
            ["CR_NAME"] = CrName,
            ["CR_NAMESPACE"] = Namespace,
            ["POD_NAME"] = gatewayName + "-0",
            ["GATEWAY_NAME"] = gatewayName,
            ["REPO_PATH"] = Temp.Combine(gatewayName + "-work"),
            ["GATEWAY_PORT"] = Gateway.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            ["API_KEY_FILE"] = tokenFile,
            ["SILO_ENDPOINTS"] = "127.0.0.1:" + Host.Options.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["SILO_CA_FILE"] = Host.CaFile,
            ["ORLEANS_CLUSTER_ID"] = Host.Options.ClusterId,
            ["ORLEANS_SERVICE_ID"] = Host.Options.ServiceId,
            ["HEARTBEAT_INTERVAL"] = "1",
            ["POST_COMMISSION_INTERVAL"] = "1",
            ["AGENT_TOKEN_FILE"] = AgentTokenFiles.Write(Host.AgentTokenKeyFile, $"{Namespace}/{CrName}/{gatewayName}", Temp.Combine(gatewayName + "-agent-token")),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var agent = AgentProcessHost.Start(variables, Temp.Combine(gatewayName + "-data"));
        _agents.Add(agent);
        return agent;
    }

    /// <summary>The Gateway grain's snapshot once <paramref name="done"/> holds for it.</summary>
    public Task<GatewaySnapshot> WaitForGatewayAsync(string gatewayName, Func<GatewaySnapshot, bool> done, string what, AgentProcessHost agent, int seconds = 30) =>
        Eventually.Until(() => Host.Gateway(Namespace, CrName, gatewayName).GetSnapshot(), done, TimeSpan.FromSeconds(seconds), $"{what}\n--- agent output ---\n{agent.Output}");

    /// <summary>Waits for a report of <paramref name="status"/> for <paramref name="commit"/>.</summary>
    public Task<GatewaySnapshot> WaitForReportAsync(string gatewayName, string commit, string status, AgentProcessHost agent, int seconds = 30) =>
        WaitForGatewayAsync(gatewayName, s => s.LastReport is { } r && r.SyncedCommit == commit && r.SyncStatus == status,
            $"a {status} report for {commit[..8]} from {gatewayName}", agent, seconds);

    /// <summary>Stops the silo and starts a new one on the same database and the same gateway port (the agents' SILO_ENDPOINTS).</summary>
    public async Task StopSiloAsync() => await Host.DisposeAsync();

    public async Task RestartSiloAsync(string connectionString)
    {
        var old = Host.Options;
        Host = await ControlPlaneHost.StartAsync(connectionString, reuse: new()
        {
            ClusterId = old.ClusterId,
            StatePath = old.StatePath,
            SiloPort = FreePort.Next(),
            GatewayPort = old.GatewayPort,
            MinimumReminderPeriod = old.MinimumReminderPeriod,
            AgentSessionExpiry = old.AgentSessionExpiry,
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Gateway.DisposeAsync();
        await Host.DisposeAsync();
        Repo.Dispose();
        Temp.Dispose();
    }
}
