using System.Text.Json.Nodes;

namespace Stoker.Silo.Admission;

/// <summary>The part of an <c>AdmissionRequest</c> the webhooks read; the object stays raw JSON, as sent.</summary>
public sealed record AdmissionRequest
{
    public const string Create = "CREATE";
    public const string Update = "UPDATE";

    public string? Uid { get; init; }

    public GroupVersionKind? Kind { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public string? Operation { get; init; }

    public JsonNode? Object { get; init; }

    public JsonNode? OldObject { get; init; }

    public bool? DryRun { get; init; }
}
