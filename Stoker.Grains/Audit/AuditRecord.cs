namespace Stoker.Grains.Audit;

/// <summary>
/// One audit record at the Kubernetes audit "Metadata" level (the fields of an <c>audit.k8s.io/v1</c> Event that
/// describe a request, never its body): who, from where, did what to which object, with what result.
/// </summary>
/// <remarks>
/// The caller is named by its token's name or its Kubernetes user name, never by the token; every string a caller
/// controls is bounded by the writer, so a hostile request cannot make a record grow without limit.
/// </remarks>
public sealed record AuditRecord
{
    /// <summary>When the request arrived.</summary>
    public required DateTimeOffset Received { get; init; }

    /// <summary>When the answer was complete.</summary>
    public required DateTimeOffset Completed { get; init; }

    /// <summary>Kubernetes' verb for resources (<c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>, …), the HTTP method in lower case otherwise.</summary>
    public required string Verb { get; init; }

    /// <summary>The path of the request, without its query string; null for calls that are no HTTP request.</summary>
    public string? RequestUri { get; init; }

    /// <summary>The caller: a token's name, a Kubernetes user, <see cref="AuditAnnotations.AgentUser"/>, or <c>system:anonymous</c>.</summary>
    public string User { get; init; } = Anonymous;

    /// <summary>The caller's roles (local tokens: <c>admin</c> or <c>viewer</c>) or Kubernetes groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public string? SourceAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? ApiGroup { get; init; }

    public string? Resource { get; init; }

    /// <summary>A part of the resource the request was about (<c>webhook</c> for a GatewaySync's webhook receiver).</summary>
    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    /// <summary>The HTTP status answered; null for calls that are no HTTP request.</summary>
    public int? Code { get; init; }

    /// <summary>Keys from <see cref="AuditAnnotations"/>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public const string Anonymous = "system:anonymous";
}
