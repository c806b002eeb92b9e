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

    /// <summary>
    /// The agent's identity token, read afresh for every registration (the kubelet rotates it); null when the agent
    /// has none (local mode). Never stored: the Gateway grain removes it before keeping or passing on a registration.
    /// </summary>
    [Id(7)] public AgentIdentityToken? Identity { get; init; }
}
