namespace Stoker.Demo.Plan;

/// <summary>One gateway of the demo and the agent beside it, as one deployment lays them out.</summary>
public sealed record GatewayTopology
{
    /// <summary>The gateway's identity (<c>GATEWAY_NAME</c>, <c>{{.GatewayName}}</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The GatewaySync profile it syncs.</summary>
    public required string Profile { get; init; }

    /// <summary>The port the gateway serves its API on, which the agent reaches on localhost.</summary>
    public required int Port { get; init; }

    /// <summary>The gateway's data directory as the agent (and the simulator) see it.</summary>
    public required string DataPath { get; init; }

    /// <summary>The agent's work folder: the clone and the sync manifest.</summary>
    public required string AgentWorkPath { get; init; }

    public required int HealthPort { get; init; }

    public required int MetricsPort { get; init; }

    /// <summary>Served by <c>ignition-simulator</c>; otherwise a real Ignition gateway runs there (compose only).</summary>
    public bool Simulated { get; init; } = true;
}
