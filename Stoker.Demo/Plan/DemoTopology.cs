namespace Stoker.Demo.Plan;

/// <summary>
/// Where the demo's pieces live in one deployment: addresses, ports and paths. The native demo and docker-compose
/// differ only here; <see cref="DemoPlan"/> turns either into the same programs, arguments and settings.
/// </summary>
public sealed record DemoTopology
{
    /// <summary>The address servers listen on: loopback natively, every address in a container.</summary>
    public required string BindAddress { get; init; }

    /// <summary>The host agents and the CLI reach the silo on.</summary>
    public required string SiloHost { get; init; }

    public required int SiloHttpPort { get; init; }

    /// <summary>The silo's HTTPS port (kubectl's), on the same address as <see cref="SiloHttpPort"/>.</summary>
    public required int SiloHttpsPort { get; init; }

    public required int SiloPort { get; init; }

    public required int SiloGatewayPort { get; init; }

    /// <summary>The address the silo advertises to agents when clustering on PostgreSQL in a container network.</summary>
    public string? SiloAdvertisedAddress { get; init; }

    /// <summary>PostgreSQL for the silo's state, reminders and membership; null keeps them in memory.</summary>
    public string? PostgresConnectionString { get; init; }

    public required string WebhookSecret { get; init; }

    /// <summary>
    /// The silo's state folder (<c>Stoker:Silo:StatePath</c>): where it keeps the CA it creates on first start and, bound
    /// to loopback, its admin token.
    /// </summary>
    public required string SiloStatePath { get; init; }

    /// <summary>Where agents read the silo's CA (<c>SILO_CA_FILE</c>): the state folder's <c>tls/ca.crt</c>, as they see it.</summary>
    public required string SiloCaFile { get; init; }

    public required string GitHost { get; init; }

    public required int GitPort { get; init; }

    /// <summary>The folder the git server serves (it creates the demo repository there once).</summary>
    public required string GitRoot { get; init; }

    /// <summary>The git server's own configuration and scratch folder.</summary>
    public required string GitWork { get; init; }

    /// <summary>demo/repo: the first commit's files.</summary>
    public required string RepositoryContent { get; init; }

    /// <summary>The Ignition API key file (<c>name:secret</c>) the agents send and the simulators expect.</summary>
    public required string ApiTokenFile { get; init; }

    /// <summary>The file holding the bearer token the demo's clients (<c>stoker</c>, the tour) send to the silo's HTTP port.</summary>
    public required string StokerTokenFile { get; init; }

    /// <summary>The silo's file of hashed API tokens, for a silo bound where others can reach it; null for none.</summary>
    public string? SiloTokensFile { get; init; }
    /// <summary>Where each agent's token is minted to (<c>{folder}/{gateway}.token</c>, the agent's <c>AGENT_TOKEN_FILE</c>).</summary>
    public required string AgentTokenFolder { get; init; }

    /// <summary>The GatewaySync manifest the apply step sends.</summary>
    public required string GatewaySyncFile { get; init; }

    public required IReadOnlyList<GatewayTopology> Gateways { get; init; }

    public string SiloUrl => $"http://{SiloHost}:{SiloHttpPort}";

    /// <summary>Where kubectl talks to the silo: HTTPS, with the state folder's CA (docs/kubectl.md).</summary>
    public string SiloHttpsUrl => $"https://{SiloHost}:{SiloHttpsPort}";

    public string RepositoryUrl => $"http://{GitHost}:{GitPort}/git/{DemoNames.RepositoryName}";

    /// <summary>
    /// docker-compose.yml's layout: services reach each other by name, agents share their gateway's network namespace
    /// (so the gateway is on localhost, as in a Kubernetes pod), and the silo clusters on PostgreSQL at a fixed address.
    /// </summary>
    public static DemoTopology Compose { get; } = new()
    {
        BindAddress = "0.0.0.0",
        SiloHost = "silo",
        SiloHttpPort = DemoPorts.Defaults.SiloHttp,
        SiloHttpsPort = DemoPorts.Defaults.SiloHttps,
        SiloPort = DemoPorts.Defaults.Silo,
        SiloGatewayPort = DemoPorts.Defaults.SiloGateway,
        SiloAdvertisedAddress = "172.30.0.10",
        PostgresConnectionString = "Host=postgres;Port=5432;Database=stoker;Username=stoker;Password=${POSTGRES_PASSWORD:-stoker-demo}",
        WebhookSecret = "${STOKER_WEBHOOK_SECRET:-stoker-demo-webhook-secret}",
        // The state folder's tls/ is a volume the agents mount read-only at /etc/stoker/silo-tls (docker-compose.yml).
        SiloStatePath = "/var/lib/stoker",
        SiloCaFile = "/etc/stoker/silo-tls/ca.crt",
        GitHost = "git-server",
        GitPort = DemoPorts.Defaults.Git,
        GitRoot = "/srv/git",
        GitWork = "/tmp/git-server",
        RepositoryContent = "/demo/repo",
        ApiTokenFile = "/run/secrets/ignition-api-token",
        // The silo binds every address in its container: it takes the demo's documented token (deploy/compose/).
        StokerTokenFile = "/run/secrets/stoker-api-token",
        SiloTokensFile = "/etc/stoker/api-tokens",
        GatewaySyncFile = "/demo/gatewaysync.yaml",
        AgentTokenFolder = "/run/stoker-agent-token",
        Gateways =
        [
            new GatewayTopology
            {
                Name = "ignition-north", Profile = "north", Port = 8088, Simulated = false,
                DataPath = "/ignition-data", AgentWorkPath = "/var/lib/stoker-agent", HealthPort = 8082, MetricsPort = 8083,
            },
            new GatewayTopology
            {
                Name = "ignition-south", Profile = "south", Port = 8088,
                DataPath = "/ignition-data", AgentWorkPath = "/var/lib/stoker-agent", HealthPort = 8082, MetricsPort = 8083,
            },
        ],
    };

    /// <summary>The native demo's layout: everything on 127.0.0.1 under one work folder.</summary>
    public static DemoTopology Native(string repositoryRoot, string workDirectory, DemoPorts ports, string webhookSecret, string? postgresConnectionString) => new()
    {
        BindAddress = "127.0.0.1",
        SiloHost = "127.0.0.1",
        SiloHttpPort = ports.SiloHttp,
        SiloHttpsPort = ports.SiloHttps,
        SiloPort = ports.Silo,
        SiloGatewayPort = ports.SiloGateway,
        PostgresConnectionString = postgresConnectionString,
        WebhookSecret = webhookSecret,
        SiloStatePath = Path.Join(workDirectory, "silo-state"),
        // StokerStateFolder.CaCertificateFile of that folder (a test holds the two together).
        SiloCaFile = Path.Join(workDirectory, "silo-state", "tls", "ca.crt"),
        GitHost = "127.0.0.1",
        GitPort = ports.Git,
        GitRoot = Path.Join(workDirectory, "git"),
        GitWork = Path.Join(workDirectory, "git-server"),
        RepositoryContent = Path.Join(repositoryRoot, "demo", "repo"),
        ApiTokenFile = Path.Join(repositoryRoot, "demo", "api-token.txt"),
        // A loopback-only silo writes its admin token into its state folder; the demo's clients read it there.
        StokerTokenFile = Path.Join(workDirectory, "silo-state", "admin.token"),
        GatewaySyncFile = Path.Join(workDirectory, "gatewaysync.yaml"),
        AgentTokenFolder = Path.Join(workDirectory, "agent-tokens"),
        Gateways =
        [
            new GatewayTopology
            {
                Name = "ignition-north", Profile = "north", Port = ports.NorthGateway,
                DataPath = Path.Join(workDirectory, "gateways", "ignition-north", "data"),
                AgentWorkPath = Path.Join(workDirectory, "gateways", "ignition-north", "agent"),
                HealthPort = ports.NorthHealth, MetricsPort = ports.NorthMetrics,
            },
            new GatewayTopology
            {
                Name = "ignition-south", Profile = "south", Port = ports.SouthGateway,
                DataPath = Path.Join(workDirectory, "gateways", "ignition-south", "data"),
                AgentWorkPath = Path.Join(workDirectory, "gateways", "ignition-south", "agent"),
                HealthPort = ports.SouthHealth, MetricsPort = ports.SouthMetrics,
            },
        ],
    };
}
