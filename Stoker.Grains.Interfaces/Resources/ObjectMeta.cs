namespace Stoker.Grains.Interfaces.Resources;

/// <summary>The subset of Kubernetes <c>ObjectMeta</c> a GatewaySync carries.</summary>
[GenerateSerializer, Immutable]
public sealed record ObjectMeta
{
    public const string DefaultNamespace = "default";

    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? GenerateName { get; init; }
    [Id(2)] public string? Namespace { get; init; }
    [Id(3)] public string? Uid { get; init; }
    [Id(4)] public string? ResourceVersion { get; init; }
    [Id(5)] public long? Generation { get; init; }
    [Id(6)] public DateTimeOffset? CreationTimestamp { get; init; }
    [Id(7)] public DateTimeOffset? DeletionTimestamp { get; init; }
    [Id(8)] public IReadOnlyDictionary<string, string>? Labels { get; init; }
    [Id(9)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    [Id(10)] public IReadOnlyList<string>? Finalizers { get; init; }

    /// <summary>Which field manager set which fields (server-side apply; docs/kubectl-writes.md).</summary>
    [Id(11)] public IReadOnlyList<ManagedFieldsEntry>? ManagedFields { get; init; }
}
