namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// The credential an agent presents with a registration: in Kubernetes, its pod's projected service-account token
/// (docs/kubernetes.md, "Agent identity"). Its own type so that it never prints: records that carry it (and any log
/// line or exception that formats them) show only its length. The Gateway grain checks it and drops it at once: it
/// is kept in no grain state and passed to no other grain.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class AgentIdentityToken
{
    /// <summary>Longer than any service-account token the API server issues (about 1 KB); longer ones are refused unread.</summary>
    public const int MaxLength = 16 * 1024;

    public AgentIdentityToken(string value)
    {
        Value = value ?? "";
    }

    [Id(0)] public string Value { get; }

    public override string ToString() => $"AgentIdentityToken(redacted, {Value.Length} characters)";
}
