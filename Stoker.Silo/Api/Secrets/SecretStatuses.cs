using Microsoft.AspNetCore.Http;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api.Secrets;

/// <summary>The Status objects of the Secrets API, worded like the API server's for core/v1 <c>secrets</c>.</summary>
public static class SecretStatuses
{
    public const string Resource = "secrets";

    public static ApiStatus NotFound(string name) => Failure(StatusCodes.Status404NotFound, ApiStatuses.ReasonNotFound, $"{Resource} \"{name}\" not found", name);

    public static ApiStatus AlreadyExists(string name) => Failure(StatusCodes.Status409Conflict, ApiStatuses.ReasonAlreadyExists, $"{Resource} \"{name}\" already exists", name);

    public static ApiStatus NotConfigured() => new()
    {
        Code = StatusCodes.Status503ServiceUnavailable,
        Reason = ApiStatuses.ReasonServiceUnavailable,
        Message = "this silo keeps no Secrets: Stoker:Silo:SecretsPath (environment Stoker__Silo__SecretsPath) is not set",
        Details = new ApiStatusDetails { Group = "", Kind = Resource },
    };

    public static ApiStatus Invalid(string? name, IReadOnlyList<ResourceViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var causes = violations.Select(ApiStatuses.ToCause).ToList();
        var rendered = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var summary = rendered.Count == 1 ? rendered[0] : "[" + string.Join(", ", rendered) + "]";
        return Failure(StatusCodes.Status422UnprocessableEntity, ApiStatuses.ReasonInvalid, $"Secret \"{name}\" is invalid: {summary}", name, causes);
    }

    public static ApiStatus Deleted(string name, string? uid) => new()
    {
        Status = ApiStatus.Success,
        Code = StatusCodes.Status200OK,
        Details = new ApiStatusDetails { Name = name, Group = "", Kind = Resource, Uid = uid },
    };

    private static ApiStatus Failure(int code, string reason, string message, string? name, IReadOnlyList<ApiStatusCause>? causes = null) => new()
    {
        Code = code,
        Reason = reason,
        Message = message,
        Details = new ApiStatusDetails { Name = name, Group = "", Kind = Resource, Causes = causes },
    };
}
