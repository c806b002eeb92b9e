using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api.Secrets;

/// <summary>
/// What <c>{SecretsPath}/{namespace}/.{name}.meta.json</c> holds: everything of a Secret but its values, which stay
/// one file per key where the control plane reads them. A dot name is never a Secret's folder (names cannot start with one).
/// </summary>
public sealed record SecretMetadataFile
{
    public string? Uid { get; init; }

    public long ResourceVersion { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public IReadOnlyList<ManagedFieldsEntry>? ManagedFields { get; init; }

    public string? Type { get; init; }

    public bool? Immutable { get; init; }
}
