using Microsoft.AspNetCore.Http;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api.Patching;

/// <summary>The Status objects of the write side (conflicts, strict decoding, media types), worded like the API server's.</summary>
public static class WriteStatuses
{
    public const string ReasonConflict = "Conflict";
    public const string CauseFieldManagerConflict = "FieldManagerConflict";

    public const string ModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    /// <summary>409 for a write whose metadata.resourceVersion is not the current one (optimistic concurrency).</summary>
    public static ApiStatus Modified(string resource, string group, string name) => new()
    {
        Code = StatusCodes.Status409Conflict,
        Reason = ReasonConflict,
        Message = $"Operation cannot be fulfilled on {resource}{(group.Length > 0 ? "." + group : "")} \"{name}\": {ModifiedMessage}",
        Details = new ApiStatusDetails { Name = name, Group = group, Kind = resource },
    };

    /// <summary>409 for a server-side apply that would change fields other managers own.</summary>
    public static ApiStatus ApplyConflict(string resource, string group, string name, IReadOnlyList<FieldConflict> conflicts) => new()
    {
        Code = StatusCodes.Status409Conflict,
        Reason = ReasonConflict,
        Message = FieldOwnership.ConflictMessage(conflicts),
        Details = new ApiStatusDetails
        {
            Name = name,
            Group = group,
            Kind = resource,
            Causes = conflicts.Select(c => new ApiStatusCause(CauseFieldManagerConflict, $"conflict with \"{c.Manager}\" using {c.ApiVersion}", c.Path)).ToList(),
        },
    };

    /// <summary>400 for unknown fields under <c>fieldValidation=Strict</c>.</summary>
    public static ApiStatus StrictDecoding(string? name, IEnumerable<string> unknownFields) =>
        ApiStatuses.BadRequest("strict decoding error: " + string.Join(", ", unknownFields.Select(f => $"unknown field \"{f}\"")), name);

    /// <summary>415 naming the patch types the resource takes.</summary>
    public static ApiStatus UnsupportedPatch(string? contentType, IReadOnlyList<string> accepted) => new()
    {
        Code = StatusCodes.Status415UnsupportedMediaType,
        Reason = ApiStatuses.ReasonUnsupportedMediaType,
        Message = $"the body of the request was in an unknown format (Content-Type \"{contentType}\") - accepted media types include: {string.Join(", ", accepted)}",
    };

    /// <summary>The status of a patch that does not fit the object.</summary>
    public static ApiStatus PatchFailed(PatchException e, string name)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.StatusCode == StatusCodes.Status400BadRequest
            ? ApiStatuses.BadRequest(e.Message, name)
            : new ApiStatus { Code = StatusCodes.Status422UnprocessableEntity, Reason = ApiStatuses.ReasonInvalid, Message = e.Message, Details = new ApiStatusDetails { Name = name } };
    }

    /// <summary>The GatewaySync resource name as Status details carry it.</summary>
    public static string GatewaySyncResource => GatewaySync.Plural;
}
