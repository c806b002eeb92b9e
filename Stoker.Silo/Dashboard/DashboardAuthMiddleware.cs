using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Dashboard;

/// <summary>Optional basic or bearer auth in front of the dashboard; constant-time comparisons.</summary>
public static class DashboardAuthMiddleware
{
    public static IApplicationBuilder UseDashboardAuth(this IApplicationBuilder app, DashboardOptions options, string prefix)
    {
        if (!options.RequiresAuth)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(prefix, StringComparison.Ordinal) || Authorized(context.Request.Headers.Authorization.ToString(), options))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"stoker dashboard\"";
            await context.Response.WriteAsync("unauthorized\n");
        });
    }

    private static bool Authorized(string header, DashboardOptions options)
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
