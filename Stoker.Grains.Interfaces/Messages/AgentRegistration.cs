namespace Stoker.Grains.Interfaces.Messages;

/// <summary>Who is connecting for a gateway: sent by the agent when it (re-)registers.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentRegistration
{
    /// <summary>Unique per agent process start; a new id means a new session.</summary>
    [Id(0)] public string AgentId { get; init; } = "";
    [Id(1)] public string AgentVersion { get; init; } = "";

    /// <summary>The profile the gateway asks for; empty means <c>default</c>.</summary>
    [Id(2)] public string? Profile { get; init; }
    [Id(3)] public string PodName { get; init; } = "";
    [Id(4)] public string? PodNamespace { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [Id(6)] public string? Hostname { get; init; }
}
