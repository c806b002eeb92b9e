namespace Stoker.Silo.Admission;

/// <summary>
/// Names and fixed values of what the injected agent reads (its <c>AgentOptions</c> and Ignition settings). A test
/// holds these names to the agent's own list, so a rename there cannot leave the webhook writing a dead variable.
/// </summary>
public static class AgentEnvironment
{
    public const string PodName = "POD_NAME";
    public const string PodNamespace = "POD_NAMESPACE";
    public const string CrName = "CR_NAME";
    public const string CrNamespace = "CR_NAMESPACE";
    public const string GatewayName = "GATEWAY_NAME";
    public const string Profile = "PROFILE";
    public const string RepoPath = "REPO_PATH";
    public const string DataPath = "DATA_PATH";
    public const string GatewayPort = "GATEWAY_PORT";
    public const string GatewayTls = "GATEWAY_TLS";
    public const string SyncPeriod = "SYNC_PERIOD";
    public const string SiloEndpoints = "SILO_ENDPOINTS";
    public const string ClusterId = "ORLEANS_CLUSTER_ID";
    public const string ServiceId = "ORLEANS_SERVICE_ID";
    public const string AgentTokenFile = "AGENT_TOKEN_FILE";
    public const string SiloCa = "SILO_CA";
    public const string SiloAllowInsecure = "SILO_ALLOW_INSECURE";

    public const string RepoMountPath = "/repo";
    public const string TmpMountPath = "/tmp";
    public const string DefaultDataPath = "/ignition-data";
    public const string TokenMountPath = "/var/run/secrets/stoker.io/agent";
    public const string TokenFileName = "token";
    public const string TokenFile = TokenMountPath + "/" + TokenFileName;

    /// <summary>The original always wrote 30 seconds; the desired-state push makes it a fallback only.</summary>
    public const string SyncPeriodSeconds = "30";

    public const int HealthPort = 8082;
    public const int MetricsPort = 8083;
}
