namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Condition types on a GatewaySync's status.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string RefResolved = "RefResolved";
    public const string ProfilesValid = "ProfilesValid";
    public const string AllGatewaysSynced = "AllGatewaysSynced";
    public const string SidecarInjected = "SidecarInjected";
    public const string SSHHostKeyVerification = "SSHHostKeyVerification";

    /// <summary>Whether every gateway's agent holds a live subscription (new in the port).</summary>
    public const string AgentReady = "AgentReady";
}
