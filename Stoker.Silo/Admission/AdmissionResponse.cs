using Stoker.Silo.Api;

namespace Stoker.Silo.Admission;

/// <summary>
/// <c>AdmissionResponse</c>: <see cref="Uid"/> echoes the request's; a patch is the base64 of a JSON Patch array.
/// <see cref="Status"/> is a Kubernetes <c>Status</c>, whose message the API server shows the caller on a denial.
/// </summary>
public sealed record AdmissionResponse
{
    public const string JsonPatchType = "JSONPatch";

    public required string Uid { get; init; }

    public required bool Allowed { get; init; }

    public ApiStatus? Status { get; init; }

    public string? Patch { get; init; }

    public string? PatchType { get; init; }
}
