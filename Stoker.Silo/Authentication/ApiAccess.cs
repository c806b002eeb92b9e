using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Authentication;

/// <summary>
/// Endpoint metadata naming what an endpoint serves, so access is decided by what routing matched and never by
/// re-reading the path. Endpoints without it are admin-only (or, in Kubernetes mode, checked as a non-resource URL).
/// </summary>
public sealed class ApiAccess
{
    private ApiAccess(ApiAccessKind kind, string group, string resource, bool viewerMayRead = true)
    {
        ViewerMayRead = viewerMayRead;
        Kind = kind;
        Group = group;
        Resource = resource;
    }

    public static ApiAccess GatewaySyncs { get; } = new(ApiAccessKind.Resource, GatewaySync.Group, GatewaySync.Plural);

    /// <summary>Local mode's Secrets (core group), kept in the secrets folder; viewers may not read them.</summary>
    public static ApiAccess Secrets { get; } = new(ApiAccessKind.Resource, "", "secrets", viewerMayRead: false);

    /// <summary>Local mode's Events about GatewaySyncs (core group), for <c>kubectl describe</c>.</summary>
    public static ApiAccess Events { get; } = new(ApiAccessKind.Resource, "", "events");

    /// <summary>Local mode's namespaces (core group): implicit, every valid name exists; for kubectl's NotFound messages and <c>get ns</c>.</summary>
    public static ApiAccess Namespaces { get; } = new(ApiAccessKind.Resource, "", "namespaces");

    /// <summary>Discovery and schema documents (<c>/api</c>, <c>/apis</c>, <c>/version</c>, <c>/openapi</c>): any authenticated caller.</summary>
    public static ApiAccess Discovery { get; } = new(ApiAccessKind.Discovery, "", "");

    public static ApiAccess Dashboard { get; } = new(ApiAccessKind.Dashboard, "", "");

    public ApiAccessKind Kind { get; }

    /// <summary>Whether a viewer token may get, list and watch it (not Secrets: their values are credentials).</summary>
    public bool ViewerMayRead { get; }

    public string Group { get; }

    public string Resource { get; }
}
