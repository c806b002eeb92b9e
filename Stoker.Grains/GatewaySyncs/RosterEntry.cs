using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.GatewaySyncs;

/// <summary>What a GatewaySync knows of one of its gateways.</summary>
[GenerateSerializer]
public sealed record RosterEntry
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Namespace { get; init; } = "";
    [Id(2)] public string PodName { get; init; } = "";
    [Id(3)] public string? ServiceAccountName { get; init; }

    /// <summary>The profile the gateway asked for (annotation or agent option), verbatim; empty means <c>default</c>.</summary>
    [Id(4)] public string? Profile { get; init; }
    [Id(5)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [Id(6)] public bool MissingSidecar { get; init; }

    /// <summary>Known from pod discovery (kept until the pod goes away), as opposed to only from its agent.</summary>
    [Id(7)] public bool Discovered { get; init; }
    [Id(8)] public bool AgentConnected { get; init; }
    [Id(9)] public string? AgentVersion { get; init; }
    [Id(10)] public SyncReport? LastReport { get; init; }
    [Id(11)] public long DesiredVersion { get; init; }

    /// <summary>Content fingerprint of the last desired state sent: an unchanged state keeps its version.</summary>
    [Id(12)] public string? DesiredFingerprint { get; init; }

    /// <summary>From the discovered pod's <c>stoker.io/ref-override</c>: the ref this gateway follows instead of <c>spec.git.ref</c>.</summary>
    [Id(13)] public string? RefOverride { get; init; }

    /// <summary>Why <see cref="RefOverride"/> cannot be followed (not a valid ref, not in the remote); the gateway shows Error.</summary>
    [Id(14)] public string? RefOverrideError { get; init; }
}
