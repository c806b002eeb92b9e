namespace Stoker.Silo.Api;

/// <summary>
/// A Kubernetes <c>Status</c> object (<c>apiVersion: v1</c>), the body of every error and of a delete, so clients
/// written for the Kubernetes API (and people used to its messages) read the answer the same way.
/// </summary>
public sealed record ApiStatus
{
    public const string Failure = "Failure";
    public const string Success = "Success";

    public string Kind { get; init; } = "Status";

    public string ApiVersion { get; init; } = "v1";

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public string Status { get; init; } = Failure;

    public string? Message { get; init; }

    public string? Reason { get; init; }

    public ApiStatusDetails? Details { get; init; }

    public int Code { get; init; }
}
