using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Stoker.Silo.Authentication;

/// <summary>Which routes are open to anyone: the configured paths, matched against the route pattern routing chose.</summary>
public sealed class ApiAccessRules(ApiAuthenticationOptions options)
{
    private readonly HashSet<string> _anonymous = new(options.EffectiveAnonymousPaths.Select(Normalize), StringComparer.OrdinalIgnoreCase);

    public bool AllowAnonymous => options.AllowAnonymous;

    /// <summary>
    /// By the matched endpoint's route pattern, not the request path: routing decides what runs (ignoring case,
    /// trailing slashes and the like), so the same decision must decide whether it runs open.
    /// </summary>
    public bool IsAnonymousRoute(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } && _anonymous.Contains(Normalize(pattern));
    }

    private static string Normalize(string pattern) => "/" + pattern.Trim('/');
}
