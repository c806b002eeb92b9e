using System.Text.Json.Serialization;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>
/// One Kubernetes <c>ManagedFieldsEntry</c>: the fields one manager owns through one kind of operation. The field set
/// (<c>fieldsV1</c>, the API server's <c>f:</c> tree) is kept as its JSON text so that grain state and Orleans
/// messages carry it without a JSON DOM; on the wire it is the object itself (<see cref="ManagedFieldsEntryJsonConverter"/>).
/// </summary>
[GenerateSerializer, Immutable]
[JsonConverter(typeof(ManagedFieldsEntryJsonConverter))]
public sealed record ManagedFieldsEntry
{
    public const string OperationApply = "Apply";
    public const string OperationUpdate = "Update";
    public const string FieldsTypeV1 = "FieldsV1";

    [Id(0)] public string? Manager { get; init; }
    [Id(1)] public string? Operation { get; init; }
    [Id(2)] public string? ApiVersion { get; init; }
    [Id(3)] public DateTimeOffset? Time { get; init; }
    [Id(4)] public string? FieldsType { get; init; }

    /// <summary>The <c>fieldsV1</c> object as compact JSON text; null when absent.</summary>
    [Id(5)] public string? FieldsV1 { get; init; }
    [Id(6)] public string? Subresource { get; init; }
}
