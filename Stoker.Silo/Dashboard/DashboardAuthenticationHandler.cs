using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Dashboard;

/// <summary>
/// Basic or bearer credentials for the dashboard, compared in constant time. It authenticates only the endpoints
/// whose authorization policy names it (<see cref="DashboardExtensions"/>), so it guards exactly what routing maps
/// to the dashboard, in whatever letter case the path was written.
/// </summary>
public sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DashboardOptions options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "StokerDashboard";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!Authorized(header))
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid dashboard credentials"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"stoker dashboard\"";
        await Response.WriteAsync("unauthorized\n", Context.RequestAborted);
    }

    private bool Authorized(string header)
    {
        if (!string.IsNullOrEmpty(options.BearerToken) && header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Equal(header["Bearer ".Length..], options.BearerToken);
        }

        if (!string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password) && header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
                return Equal(decoded, options.Username + ":" + options.Password);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return false;
    }

    private static bool Equal(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
