using Stoker.Tests.FakeKubeApi;

namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>What the RBAC authorizer sees of a request: verb, API group, resource (with its subresource), namespace, name.</summary>
internal sealed record RbacRequest(string Verb, string Group, string Resource, string? Namespace, string? Name, string Seen)
{
    /// <summary>The request as RBAC reads it; null for a non-resource URL (discovery, /version), which RBAC grants apart.</summary>
    public static RbacRequest? From(RecordedRequest request) =>
        request.Resource is null
            ? null
            : new(request.Verb, request.Group ?? "", request.Subresource is null ? request.Resource : $"{request.Resource}/{request.Subresource}",
                request.Namespace, request.Name, request.ToString());

    public override string ToString() => $"{Verb} {(Group.Length > 0 ? Group + "/" : "")}{Resource}{(Namespace is null ? "" : " in " + Namespace)} ({Seen})";
}
