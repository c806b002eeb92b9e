namespace Stoker.Silo.Api;

/// <summary>A Kubernetes <c>StatusCause</c>: one field that made a request fail.</summary>
public sealed record ApiStatusCause(string Reason, string Message, string Field);
