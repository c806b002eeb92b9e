using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace Stoker.Silo.Dashboard;

public static class DashboardExtensions
{
    public const string RoutePrefix = "/dashboard";

    /// <summary>The authorization policy on every dashboard endpoint when credentials are configured.</summary>
    public const string PolicyName = "StokerDashboard";

    /// <summary>
    /// The Orleans dashboard (section <c>Stoker:Dashboard</c>) and, when a user and password or a token are set,
    /// the authentication scheme and policy that guard it.
    /// </summary>
    public static DashboardOptions AddStokerDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return options;
        }

        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        builder.UseOrleans(silo => silo.AddDashboard(dashboard => dashboard.CounterUpdateIntervalMs = (int)options.CounterUpdateInterval.TotalMilliseconds));
        if (options.RequiresAuth)
        {
            // No default scheme: only endpoints whose policy names this scheme run it.
            builder.Services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, DashboardAuthenticationHandler>(
                DashboardAuthenticationHandler.SchemeName, null);
            builder.Services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(DashboardAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        }

        return options;
    }

    /// <summary>
    /// Maps the dashboard under <see cref="RoutePrefix"/>. The credentials are required by the mapped endpoints
    /// themselves (authorization metadata checked by the authorization middleware after routing chose the endpoint),
    /// not by comparing the request path: routing matches paths ignoring case, so a path check would have to
    /// reproduce routing exactly, and <c>/Dashboard/</c> once slipped past one. Were the middleware ever left out,
    /// ASP.NET refuses to run an endpoint that carries authorization metadata rather than serve it open.
    /// </summary>
    public static WebApplication UseStokerDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<DashboardOptions>();
        if (!options.Enabled)
        {
            return app;
        }

        var endpoints = app.MapOrleansDashboard(routePrefix: RoutePrefix);
        if (options.RequiresAuth)
        {
            endpoints.RequireAuthorization(PolicyName);
            app.UseAuthentication();
            app.UseAuthorization();
        }

        return app;
    }
}
