namespace Stoker.Tests.FakeKubeApi;

/// <summary>A request the fake refuses; becomes a <c>Status</c> object with the given code and reason.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(int code, string reason, string message)
        : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public KubeApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public KubeApiException(string message)
        : this(400, "BadRequest", message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 400;
        Reason = "BadRequest";
    }

    public int Code { get; }

    public string Reason { get; }

    public static KubeApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found");

    public static KubeApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists");

    public static KubeApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");

    public static KubeApiException Gone(long requested, long oldest) =>
        new(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static KubeApiException Invalid(ResourceType type, string name, string message) =>
        new(422, "Invalid", $"{type.Kind}.{type.Group} \"{name}\" is invalid: {message}");
}
