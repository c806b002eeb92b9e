namespace Stoker.Silo.Api.OpenApi;

/// <summary>One operation on one path: method, the API server's <c>x-kubernetes-action</c>, and what it reads and answers.</summary>
public sealed record OpenApiOperation(
    string Method,
    string Action,
    string OperationId,
    string Description,
    string ResponseSchema,
    IReadOnlyList<string> QueryParameters,
    string? BodySchema = null);
