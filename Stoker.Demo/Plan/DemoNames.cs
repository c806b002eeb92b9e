namespace Stoker.Demo.Plan;

/// <summary>Names the demo's pieces share: the resource, the Orleans cluster, the repository, the programs.</summary>
public static class DemoNames
{
    public const string Namespace = "demo";
    public const string GatewaySyncName = "demo";
    public const string ClusterId = "stoker-demo";
    public const string ServiceId = "stoker-demo";
    public const string RepositoryName = "stoker-demo.git";
    public const string Branch = "main";

    /// <summary>The repository URL written in demo/gatewaysync.yaml (docker-compose's git server).</summary>
    public const string ComposeRepositoryUrl = "http://git-server:8090/git/" + RepositoryName;

    public const string SiloProgram = "stoker-silo";
    public const string AgentProgram = "stoker-agent";
    public const string SimulatorProgram = "ignition-simulator";
    public const string CliProgram = "stoker";
    public const string GitServerProgram = "git-server.sh";

    /// <summary>Seconds between the agent's gateway checks before its post-commission sync (the demo wants it quick).</summary>
    public const string PostCommissionInterval = "1";
}
