namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Condition reasons, as the original operator spells them (plus the port's agent reasons).</summary>
public static class ConditionReasons
{
    public const string Paused = "Paused";
    public const string Reconciling = "Reconciling";
    public const string SyncSucceeded = "SyncSucceeded";
    public const string SyncInProgress = "SyncInProgress";
    public const string NoGatewaysDiscovered = "NoGatewaysDiscovered";
    public const string RefResolved = "RefResolved";
    public const string RefResolutionFailed = "RefResolutionFailed";
    public const string GitHubAppExchangeFailed = "GitHubAppExchangeFailed";
    public const string ProfilesValid = "ProfilesValid";
    public const string ProfilesInvalid = "ProfilesInvalid";

    /// <summary>Kubernetes mode: the custom resource could not be taken (conditions say why; nothing else runs).</summary>
    public const string InvalidSpec = "InvalidSpec";
    public const string SidecarPresent = "SidecarPresent";
    public const string SidecarMissing = "SidecarMissing";
    public const string HostKeyVerificationEnabled = "HostKeyVerificationEnabled";
    public const string HostKeyVerificationDisabled = "HostKeyVerificationDisabled";
    public const string AgentsConnected = "AgentsConnected";
    public const string AgentsDisconnected = "AgentsDisconnected";
    public const string NoAgents = "NoAgents";
}
