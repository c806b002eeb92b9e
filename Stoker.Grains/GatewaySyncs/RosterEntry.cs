using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>What a GatewaySync knows of one of its gateways: its pod (from discovery) and its Gateway grain's summary.</summary>
[GenerateSerializer]
public sealed record RosterEntry
{
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>From pod discovery, kept until the pod goes away; null for a gateway known only from its agent.</summary>
    [Id(1)] public ExpectedGateway? Pod { get; init; }

    /// <summary>The Gateway grain's last summary; null until it sent one.</summary>
    [Id(2)] public GatewaySummary? Summary { get; init; }

    public string? RefOverride => Pod?.RefOverride is { Length: > 0 } name ? name : null;

    /// <summary>A pod that asked for the sidecar and has none, unless an agent registered for it after all.</summary>
    public bool MissingSidecar => Pod?.MissingSidecar == true && Summary?.AgentVersion is null;
}
