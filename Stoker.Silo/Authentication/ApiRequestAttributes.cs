using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Authentication;

/// <summary>
/// A request as an authorizer sees it, in Kubernetes' terms: a verb on a resource (group, resource, namespace, name)
/// or on a non-resource path.
/// </summary>
public sealed record ApiRequestAttributes(string Verb, ApiAccess? Access, string? Namespace, string? Name, string Path)
{
    public const string DashboardPath = "/dashboard";

    public bool IsResource => Access?.Kind == ApiAccessKind.Resource;

    public bool IsDashboard => Access?.Kind == ApiAccessKind.Dashboard;

    public bool IsDiscovery => Access?.Kind == ApiAccessKind.Discovery;

    /// <summary>What a viewer token may do: read resources other than Secrets, discovery, and the dashboard.</summary>
    public bool IsViewerAllowed => IsReadOnly && ((IsResource && Access!.ViewerMayRead) || IsDashboard || IsDiscovery);

    /// <summary>Whether the verb only reads.</summary>
    public bool IsReadOnly => Verb is "get" or "list" or "watch" or "head";

    public static ApiRequestAttributes From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var access = context.GetEndpoint()?.Metadata.GetMetadata<ApiAccess>();
        var method = context.Request.Method;
        if (access?.Kind == ApiAccessKind.Resource)
        {
            var ns = context.Request.RouteValues.TryGetValue("ns", out var n) ? n as string : null;
            var name = context.Request.RouteValues.TryGetValue("name", out var m) ? m as string : null;
            var watch = context.Request.Query["watch"].ToString() is "true" or "1";
            var verb = method switch
            {
                _ when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => name is not null ? "get" : watch ? "watch" : "list",
                _ when HttpMethods.IsPost(method) => "create",
                _ when HttpMethods.IsPut(method) => "update",
                _ when HttpMethods.IsPatch(method) => "patch",
                _ when HttpMethods.IsDelete(method) => name is not null ? "delete" : "deletecollection",
                _ => method.ToLowerInvariant(),
            };
            return new ApiRequestAttributes(verb, access, ns, name, context.Request.Path.Value ?? "/");
        }

        // Non-resource URLs take the HTTP method in lower case as their verb, as the API server's do.
        var plain = HttpMethods.IsHead(method) ? "get" : method.ToLowerInvariant();
        return access?.Kind == ApiAccessKind.Dashboard
            ? new ApiRequestAttributes(plain, access, null, null, DashboardPath)
            : new ApiRequestAttributes(plain, access?.Kind == ApiAccessKind.Discovery ? access : null, null, null, context.Request.Path.Value ?? "/");
    }

    /// <summary>The API server's wording of a refusal: <c>User "u" cannot list resource "gatewaysyncs" in API group …</c>.</summary>
    public string Forbidden(string user)
    {
        if (Access is { Kind: ApiAccessKind.Resource } resource)
        {
            var what = Name is null ? $"{resource.Resource}.{resource.Group}" : $"{resource.Resource}.{resource.Group} \"{Name}\"";
            var scope = Namespace is null ? "at the cluster scope" : $"in the namespace \"{Namespace}\"";
            return $"{what} is forbidden: User \"{user}\" cannot {Verb} resource \"{resource.Resource}\" in API group \"{resource.Group}\" {scope}";
        }

        return $"forbidden: User \"{user}\" cannot {Verb} path \"{Path}\"";
    }
}
