namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// What a Gateway grain tells its GatewaySync, one-way, whenever something the status shows changed: who the gateway
/// is, whether its agent is connected, and the fields of its last report that <c>status.discoveredGateways</c> lists.
/// The reports themselves stay in the Gateway grain.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GatewaySummary
{
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>Increases with every summary a gateway sends (across activations too): one-way messages may overtake each other.</summary>
    [Id(1)] public long Sequence { get; init; }

    /// <summary>Sent for a registration: the gateway joins the roster if it is not in it (other summaries only update).</summary>
    [Id(2)] public bool Joining { get; init; }

    /// <summary>The release the gateway holds (0 for none): an older one tells the GatewaySync to send the current one.</summary>
    [Id(3)] public long ReleaseVersion { get; init; }

    /// <summary>From the agent's registration: used when pod discovery does not know the gateway.</summary>
    [Id(4)] public string Namespace { get; init; } = "";
    [Id(5)] public string PodName { get; init; } = "";
    [Id(6)] public string? Profile { get; init; }

    [Id(7)] public bool AgentConnected { get; init; }
    [Id(8)] public string? AgentVersion { get; init; }

    /// <summary>Why the gateway cannot follow its <c>stoker.io/ref-override</c>; its status is then Error.</summary>
    [Id(9)] public string? RefOverrideError { get; init; }

    /// <summary>Whether the gateway's agent has reported at all; the report fields below are meaningless when not.</summary>
    [Id(10)] public bool Reported { get; init; }
    [Id(11)] public string SyncStatus { get; init; } = Messages.SyncStatus.Pending;
    [Id(12)] public DateTimeOffset LastSyncTime { get; init; }
    [Id(13)] public TimeSpan LastSyncDuration { get; init; }
    [Id(14)] public string SyncedCommit { get; init; } = "";
    [Id(15)] public string SyncedRef { get; init; } = "";
    [Id(16)] public string ReportedAgentVersion { get; init; } = "";
    [Id(17)] public string LastScanResult { get; init; } = "";
    [Id(18)] public int FilesChanged { get; init; }
    [Id(19)] public IReadOnlyList<string> ProjectsSynced { get; init; } = [];
}
