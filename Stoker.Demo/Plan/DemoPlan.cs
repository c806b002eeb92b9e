using System.Globalization;

namespace Stoker.Demo.Plan;

/// <summary>
/// The demo's programs with their arguments and settings for a <see cref="DemoTopology"/>. This is the one place they
/// are written down: the native demo runs exactly these, and a test checks that docker-compose.yml's services run the
/// same for <see cref="DemoTopology.Compose"/>.
/// </summary>
public static class DemoPlan
{
    public const string GitServerService = "git-server";
    public const string SiloService = "silo";
    public const string ApplyService = "apply";

    public static string GatewayService(GatewayTopology gateway) => Named("gateway", gateway);

    public static string AgentService(GatewayTopology gateway) => Named("agent", gateway);

    public static string AgentTokenService(GatewayTopology gateway) => Named("token", gateway);

    /// <summary>The agent's credential, minted by <see cref="AgentToken"/> (docs/security.md, "Agent credentials").</summary>
    public static string AgentTokenFile(DemoTopology t, GatewayTopology gateway) => $"{t.AgentTokenFolder}/{gateway.Name}.token";

    public static ServiceSpec GitServer(DemoTopology t) => new(
        GitServerService,
        DemoNames.GitServerProgram,
        ["--root", t.GitRoot, "--content", t.RepositoryContent, "--port", Text(t.GitPort), "--bind", t.BindAddress, "--work", t.GitWork],
        new Dictionary<string, string>());

    /// <summary>The control plane. Settings are the silo's configuration keys as environment variables.</summary>
    public static ServiceSpec Silo(DemoTopology t)
    {
        var environment = new Dictionary<string, string>
        {
            ["Stoker__Silo__ClusterId"] = DemoNames.ClusterId,
            ["Stoker__Silo__ServiceId"] = DemoNames.ServiceId,
            ["Stoker__Silo__SiloPort"] = Text(t.SiloPort),
            ["Stoker__Silo__GatewayPort"] = Text(t.SiloGatewayPort),
            ["Stoker__Silo__HttpsPort"] = Text(t.SiloHttpsPort),
            ["Stoker__Webhook__HmacSecret"] = t.WebhookSecret,
            ["Stoker__Silo__StatePath"] = t.SiloStatePath,
        };
        if (t.SiloAdvertisedAddress is { } address)
        {
            environment["Stoker__Silo__AdvertisedAddress"] = address;
        }

        if (t.PostgresConnectionString is { } connection)
        {
            environment["Stoker__Storage__ConnectionString"] = connection;
        }

        if (t.SiloTokensFile is { } tokens)
        {
            environment["Stoker__Api__Authentication__TokensFile"] = tokens;
        }

        return new ServiceSpec(SiloService, DemoNames.SiloProgram, ["--urls", $"http://{t.BindAddress}:{Text(t.SiloHttpPort)}"], environment);
    }

    /// <summary>A stand-in Ignition gateway that expects the agents' API key and serves the gateway's data folder.</summary>
    public static ServiceSpec Simulator(DemoTopology t, GatewayTopology gateway) => new(
        GatewayService(gateway),
        DemoNames.SimulatorProgram,
        [
            "--urls", $"http://{t.BindAddress}:{Text(gateway.Port)}",
            "--api-token-file", t.ApiTokenFile,
            "--data-dir", gateway.DataPath,
            "--gateway-name", gateway.Name,
            "--list-projects",
        ],
        new Dictionary<string, string>());

    /// <summary>The agent beside one gateway, configured by the environment variables a Kubernetes sidecar gets.</summary>
    public static ServiceSpec Agent(DemoTopology t, GatewayTopology gateway) => new(
        AgentService(gateway),
        DemoNames.AgentProgram,
        ["run"],
        new Dictionary<string, string>
        {
            ["CR_NAME"] = DemoNames.GatewaySyncName,
            ["CR_NAMESPACE"] = DemoNames.Namespace,
            ["GATEWAY_NAME"] = gateway.Name,
            ["POD_NAME"] = gateway.Name + "-0",
            ["PROFILE"] = gateway.Profile,
            ["DATA_PATH"] = gateway.DataPath,
            ["REPO_PATH"] = gateway.AgentWorkPath,
            ["GATEWAY_PORT"] = Text(gateway.Port),
            ["API_KEY_FILE"] = t.ApiTokenFile,
            ["SILO_ENDPOINTS"] = $"{t.SiloHost}:{Text(t.SiloGatewayPort)}",
            ["SILO_CA_FILE"] = t.SiloCaFile,
            ["ORLEANS_CLUSTER_ID"] = DemoNames.ClusterId,
            ["ORLEANS_SERVICE_ID"] = DemoNames.ServiceId,
            ["HEALTH_PORT"] = Text(gateway.HealthPort),
            ["METRICS_PORT"] = Text(gateway.MetricsPort),
            ["POST_COMMISSION_INTERVAL"] = DemoNames.PostCommissionInterval,
            ["AGENT_TOKEN_FILE"] = AgentTokenFile(t, gateway),
        });

    /// <summary>One-shot, after the silo is up: mints the agent's token for its gateway into <see cref="AgentTokenFile"/>.</summary>
    public static ServiceSpec AgentToken(DemoTopology t, GatewayTopology gateway) => new(
        AgentTokenService(gateway),
        DemoNames.CliProgram,
        [
            "--server", t.SiloUrl, "--token-file", t.StokerTokenFile, "agent-token", "create",
            "--gateway", $"{DemoNames.Namespace}/{DemoNames.GatewaySyncName}/{gateway.Name}",
            "--output", AgentTokenFile(t, gateway),
        ],
        new Dictionary<string, string>());

    /// <summary>The one-shot apply of the sample GatewaySync through the local apply API, with the <c>stoker</c> CLI.</summary>
    public static ServiceSpec Apply(DemoTopology t) => new(
        ApplyService,
        DemoNames.CliProgram,
        ["--server", t.SiloUrl, "--token-file", t.StokerTokenFile, "apply", "-f", t.GatewaySyncFile],
        new Dictionary<string, string>());

    /// <summary>Every program of the deployment, in start order (simulators only where a gateway is simulated).</summary>
    public static IReadOnlyList<ServiceSpec> All(DemoTopology t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var services = new List<ServiceSpec> { GitServer(t), Silo(t) };
        services.AddRange(t.Gateways.Where(g => g.Simulated).Select(g => Simulator(t, g)));
        services.Add(Apply(t));
        services.AddRange(t.Gateways.Select(g => AgentToken(t, g)));
        services.AddRange(t.Gateways.Select(g => Agent(t, g)));
        return services;
    }

    private static string Named(string kind, GatewayTopology gateway) =>
        kind + "-" + (gateway.Name.StartsWith("ignition-", StringComparison.Ordinal) ? gateway.Name["ignition-".Length..] : gateway.Name);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
