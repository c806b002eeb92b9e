using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api.Secrets;

/// <summary>A core/v1 Secret as local mode keeps it: the values decoded, the metadata beside them (docs/kubectl-writes.md).</summary>
public sealed record SecretObject
{
    public const string DefaultType = "Opaque";

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public IReadOnlyList<ManagedFieldsEntry>? ManagedFields { get; init; }

    public string Type { get; init; } = DefaultType;

    public bool? Immutable { get; init; }

    public IReadOnlyDictionary<string, byte[]> Data { get; init; } = new Dictionary<string, byte[]>();
}
