using System.Globalization;
using Microsoft.AspNetCore.Http;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api;

/// <summary>The Status objects the apply API answers with, worded like the Kubernetes API server's.</summary>
public static class ApiStatuses
{
    public const string ReasonInvalid = "Invalid";
    public const string ReasonNotFound = "NotFound";
    public const string ReasonAlreadyExists = "AlreadyExists";
    public const string ReasonBadRequest = "BadRequest";
    public const string ReasonUnsupportedMediaType = "UnsupportedMediaType";
    public const string ReasonRequestEntityTooLarge = "RequestEntityTooLarge";
    public const string ReasonServiceUnavailable = "ServiceUnavailable";
    public const string ReasonUnauthorized = "Unauthorized";
    public const string ReasonForbidden = "Forbidden";

    public const string CauseRequired = "FieldValueRequired";
    public const string CauseInvalid = "FieldValueInvalid";
    public const string CauseNotSupported = "FieldValueNotSupported";
    public const string CauseTypeInvalid = "FieldValueTypeInvalid";
    public const string CauseForbidden = "FieldValueForbidden";

    private const string Resource = GatewaySync.Plural + "." + GatewaySync.Group;

    public static ApiStatus NotFound(string name) =>
        Failure(StatusCodes.Status404NotFound, ReasonNotFound, $"{Resource} \"{name}\" not found", name);

    public static ApiStatus AlreadyExists(string name) =>
        Failure(StatusCodes.Status409Conflict, ReasonAlreadyExists, $"{Resource} \"{name}\" already exists", name);

    public static ApiStatus BadRequest(string message, string? name = null) =>
        Failure(StatusCodes.Status400BadRequest, ReasonBadRequest, message, name);

    public static ApiStatus UnsupportedMediaType(string? contentType) =>
        Failure(StatusCodes.Status415UnsupportedMediaType, ReasonUnsupportedMediaType,
            $"the body of the request was in an unknown format (Content-Type \"{contentType}\"); accepted: {string.Join(", ", ApiMediaTypes.Readable)}");

    public static ApiStatus TooLarge(long limit) =>
        Failure(StatusCodes.Status413PayloadTooLarge, ReasonRequestEntityTooLarge,
            $"the request body is larger than {limit.ToString(CultureInfo.InvariantCulture)} bytes");

    public static ApiStatus Unavailable(string message) =>
        Failure(StatusCodes.Status503ServiceUnavailable, ReasonServiceUnavailable, message);

    /// <summary>422 listing every violation as a cause, with the API server's summary line.</summary>
    public static ApiStatus Invalid(string? name, IReadOnlyList<ResourceViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var causes = violations.Select(ToCause).ToList();
        var rendered = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var summary = rendered.Count == 1 ? rendered[0] : "[" + string.Join(", ", rendered) + "]";
        return Failure(StatusCodes.Status422UnprocessableEntity, ReasonInvalid,
            $"{GatewaySync.KindValue}.{GatewaySync.Group} \"{name}\" is invalid: {summary}", name, causes);
    }

    public static ApiStatus Deleted(string name, string? uid) => new()
    {
        Status = ApiStatus.Success,
        Code = StatusCodes.Status200OK,
        Details = new ApiStatusDetails { Name = name, Uid = uid },
    };

    /// <summary>
    /// Maps a violation to the cause reason and message format of Kubernetes' field errors
    /// (<c>Required value</c>, <c>Invalid value: "x": rule</c>, <c>Unsupported value: …</c>).
    /// </summary>
    public static ApiStatusCause ToCause(ResourceViolation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        var rule = violation.Rule;
        var (reason, prefix) = rule switch
        {
            "Required value" => (CauseRequired, "Required value"),
            _ when rule.StartsWith("unknown field", StringComparison.Ordinal) => (CauseForbidden, "Forbidden"),
            _ when rule.StartsWith("must be one of", StringComparison.Ordinal) => (CauseNotSupported, "Unsupported value"),
            _ when rule.StartsWith("must be of type", StringComparison.Ordinal) || rule.StartsWith("must be an integer or", StringComparison.Ordinal)
                || rule.StartsWith("must fit in", StringComparison.Ordinal) || rule == "must not be null" => (CauseTypeInvalid, "Invalid value"),
            _ => (CauseInvalid, "Invalid value"),
        };
        var message = reason == CauseRequired
            ? prefix
            : violation.Value is null ? $"{prefix}: {rule}" : $"{prefix}: {violation.Value}: {rule}";
        return new ApiStatusCause(reason, message, violation.Field);
    }

    private static ApiStatus Failure(int code, string reason, string message, string? name = null, IReadOnlyList<ApiStatusCause>? causes = null) => new()
    {
        Code = code,
        Reason = reason,
        Message = message,
        Details = name is null && causes is null ? null : new ApiStatusDetails { Name = name, Causes = causes },
    };
}
