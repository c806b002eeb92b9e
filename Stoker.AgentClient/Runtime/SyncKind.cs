namespace Stoker.AgentClient.Runtime;

public enum SyncKind
{
    /// <summary>Before the gateway starts: no scan (the gateway is not up), a health check instead; reports Pending.</summary>
    Initial,

    /// <summary>Once the gateway first answers: Ignition's commissioning may have overwritten synced files.</summary>
    PostCommission,

    /// <summary>A new desired state, a retry or the periodic check.</summary>
    Triggered,
}
