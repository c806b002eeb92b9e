using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Authentication;

/// <summary>
/// Decides <see cref="ApiAccessRequirement"/>: open routes and <c>AllowAnonymous</c> pass; a token of the tokens
/// file passes by its role (admin: everything; viewer: reading GatewaySyncs and the dashboard); a Kubernetes user
/// passes when a SubjectAccessReview allows the request. Anyone else is not let through: the scheme then answers 401
/// to the unauthenticated and 403 to the rest.
/// </summary>
public sealed class ApiAccessHandler(ApiAccessRules rules, KubernetesApiReviewerAccessor kubernetes) : AuthorizationHandler<ApiAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resource is not HttpContext http)
        {
            return;
        }

        if (rules.AllowAnonymous || rules.IsAnonymousRoute(http))
        {
            context.Succeed(requirement);
            return;
        }

        var identity = context.User.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == ApiAuthenticationDefaults.SchemeName);
        if (identity is null)
        {
            return;
        }

        var request = ApiRequestAttributes.From(http);
        if (identity is KubernetesUserIdentity kube)
        {
            var reviewer = kubernetes.Reviewer ?? throw new InvalidOperationException("a Kubernetes identity without Kubernetes mode");
            var (allowed, reason, unavailable) = await reviewer.AuthorizeAsync(kube.User, request, http.RequestAborted);
            if (unavailable is not null)
            {
                http.Items[ApiAuthenticationDefaults.UnavailableItem] = unavailable;
                return;
            }

            if (allowed)
            {
                context.Succeed(requirement);
                return;
            }

            http.Items[ApiAuthenticationDefaults.ForbiddenItem] = request.Forbidden(kube.User.Username) + (reason is null ? "" : ": " + reason);
            return;
        }

        var role = identity.FindFirst(ApiAuthenticationDefaults.RoleClaim)?.Value;
        if (role == "admin" || (role == "viewer" && request.IsViewerAllowed))
        {
            context.Succeed(requirement);
            return;
        }

        http.Items[ApiAuthenticationDefaults.ForbiddenItem] =
            request.Forbidden(identity.Name ?? "") + $" (the token's role is {role}: a viewer may get, list and watch GatewaySyncs and Events, read discovery, and open the dashboard)";
    }
}
