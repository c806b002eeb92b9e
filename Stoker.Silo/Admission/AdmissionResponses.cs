using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api;

namespace Stoker.Silo.Admission;

/// <summary>
/// The answers a webhook gives, with the status codes Kubernetes webhooks use: allowed (200), denied (403,
/// <c>Forbidden</c>), errored (the code of the failure), invalid (422 with one cause per field, as the apply API).
/// </summary>
public static class AdmissionResponses
{
    public const string ReasonForbidden = "Forbidden";

    public static AdmissionResponse Allowed(string uid, string? message = null) => new()
    {
        Uid = uid,
        Allowed = true,
        Status = message is null ? null : new ApiStatus { Status = ApiStatus.Success, Code = StatusCodes.Status200OK, Message = message },
    };

    public static AdmissionResponse Denied(string uid, string message) => new()
    {
        Uid = uid,
        Allowed = false,
        Status = new ApiStatus { Code = StatusCodes.Status403Forbidden, Reason = ReasonForbidden, Message = message },
    };

    public static AdmissionResponse Errored(string uid, int code, string message) => new()
    {
        Uid = uid,
        Allowed = false,
        Status = new ApiStatus { Code = code, Message = message },
    };

    public static AdmissionResponse Invalid(string uid, string? name, IReadOnlyList<ResourceViolation> violations) => new()
    {
        Uid = uid,
        Allowed = false,
        Status = ApiStatuses.Invalid(name, violations),
    };

    public static AdmissionResponse Patched(string uid, IReadOnlyList<JsonPatchOperation> operations) => new()
    {
        Uid = uid,
        Allowed = true,
        Patch = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(operations, AdmissionJson.Options))),
        PatchType = AdmissionResponse.JsonPatchType,
    };
}
