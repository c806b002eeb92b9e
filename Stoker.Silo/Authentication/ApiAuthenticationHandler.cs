using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Silo.Api;

namespace Stoker.Silo.Authentication;

/// <summary>
/// The HTTP port's one authentication scheme: <c>Authorization: Bearer TOKEN</c>, or on the dashboard
/// <c>Basic</c> with the token as the password (any user name) so a browser can open it. The token is looked up among
/// the silo's own tokens (<see cref="ApiTokenStore"/>) and, in Kubernetes mode, reviewed by the API server
/// (<see cref="KubernetesApiReviewer"/>). Its challenge is the 401 and its forbid the 403, with a Kubernetes
/// <c>Status</c> body under <c>/apis/</c> and a line of text elsewhere.
/// </summary>
public sealed class ApiAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenStore tokens,
    ApiAccessRules rules,
    KubernetesApiReviewerAccessor kubernetes) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Open routes never look at credentials: a scrape with some token attached costs no review.
        if (rules.IsAnonymousRoute(Context))
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var token = ReadToken(header, out var problem);
        if (token is null)
        {
            return AuthenticateResult.Fail(problem!);
        }

        if (tokens.Find(token) is { } entry)
        {
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, entry.Name), new Claim(ApiAuthenticationDefaults.RoleClaim, entry.Role == ApiRole.Admin ? "admin" : "viewer")],
                ApiAuthenticationDefaults.SchemeName);
            return Success(identity);
        }

        if (kubernetes.Reviewer is { } reviewer)
        {
            var (user, unavailable) = await reviewer.AuthenticateAsync(token, Context.RequestAborted);
            if (unavailable is not null)
            {
                Context.Items[ApiAuthenticationDefaults.UnavailableItem] = unavailable;
                return AuthenticateResult.Fail(unavailable);
            }

            if (user is not null)
            {
                return Success(new KubernetesUserIdentity(user));
            }
        }

        return AuthenticateResult.Fail("the token is not known");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (await UnavailableAsync())
        {
            return;
        }

        if (IsDashboard())
        {
            // Basic first: a browser then asks for credentials; the token goes in the password field.
            Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{ApiAuthenticationDefaults.Realm}\", charset=\"UTF-8\"");
        }

        Response.Headers.Append("WWW-Authenticate", $"Bearer realm=\"{ApiAuthenticationDefaults.Realm}\"");
        var presented = Request.Headers.Authorization.Count > 0;
        var message = presented
            ? "Unauthorized: the token is not known (docs/security.md, \"API authentication\")"
            : "Unauthorized: send Authorization: Bearer TOKEN (docs/security.md, \"API authentication\")";
        await WriteAsync(StatusCodes.Status401Unauthorized, ApiStatuses.ReasonUnauthorized, message);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (await UnavailableAsync())
        {
            return;
        }

        var message = Context.Items.TryGetValue(ApiAuthenticationDefaults.ForbiddenItem, out var m) && m is string text
            ? text
            : "forbidden";
        await WriteAsync(StatusCodes.Status403Forbidden, ApiStatuses.ReasonForbidden, message);
    }

    private async Task<bool> UnavailableAsync()
    {
        if (!Context.Items.TryGetValue(ApiAuthenticationDefaults.UnavailableItem, out var why) || why is not string message)
        {
            return false;
        }

        await WriteAsync(StatusCodes.Status503ServiceUnavailable, ApiStatuses.ReasonServiceUnavailable, message);
        return true;
    }

    private async Task WriteAsync(int code, string reason, string message)
    {
        ApiAuthenticationMetrics.RefusedTotal.WithLabels(reason).Inc();
        Response.StatusCode = code;
        // Discovery's /version and /openapi answer like the rest of the API: kubectl reads the Status.
        if (Request.Path.StartsWithSegments("/apis", StringComparison.OrdinalIgnoreCase) || Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || Context.GetEndpoint()?.Metadata.GetMetadata<ApiAccess>()?.Kind == ApiAccessKind.Discovery)
        {
            var status = new ApiStatus { Code = code, Reason = reason, Message = message };
            await ApiResponse.From(status).ExecuteAsync(Context);
            return;
        }

        Response.ContentType = "text/plain; charset=utf-8";
        await Response.WriteAsync(message + "\n", Context.RequestAborted);
    }

    private bool IsDashboard() =>
        Context.GetEndpoint()?.Metadata.GetMetadata<ApiAccess>()?.Kind == ApiAccessKind.Dashboard
        || Request.Path.StartsWithSegments(ApiRequestAttributes.DashboardPath, StringComparison.OrdinalIgnoreCase);

    private string? ReadToken(string header, out string? problem)
    {
        problem = null;
        string? token = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!IsDashboard())
            {
                problem = "Basic credentials are taken on /dashboard only; send Authorization: Bearer TOKEN";
                return null;
            }

            var encoded = header["Basic ".Length..].Trim();
            if (encoded.Length > ApiAuthenticationDefaults.MaxTokenLength * 2)
            {
                problem = "the credentials are too long";
                return null;
            }

            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                token = colon < 0 ? null : decoded[(colon + 1)..];
            }
            catch (FormatException)
            {
                // Left null: reported below.
            }

            if (token is null)
            {
                problem = "the Basic credentials are not base64 of USER:TOKEN";
                return null;
            }
        }
        else
        {
            problem = "only Bearer (and Basic on /dashboard) credentials are taken";
            return null;
        }

        if (token.Length == 0 || token.Length > ApiAuthenticationDefaults.MaxTokenLength)
        {
            problem = $"the token must be 1 to {ApiAuthenticationDefaults.MaxTokenLength} characters long";
            return null;
        }

        return token;
    }

    private AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiAuthenticationDefaults.SchemeName));
}
