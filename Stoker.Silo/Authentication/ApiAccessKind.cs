namespace Stoker.Silo.Authentication;

/// <summary>What an endpoint of the HTTP port serves, as far as access is concerned.</summary>
public enum ApiAccessKind
{
    /// <summary>A Kubernetes-style resource (the apply API): verbs get, list, watch, create, update, patch, delete.</summary>
    Resource,

    /// <summary>The Orleans dashboard: viewers may open it; in Kubernetes RBAC the non-resource URL <c>/dashboard</c>.</summary>
    Dashboard,

    /// <summary>Discovery and OpenAPI documents: every authenticated caller may read them (the API server's <c>system:discovery</c>).</summary>
    Discovery,
}
