using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Dashboard;

public static class DashboardExtensions
{
    public const string RoutePrefix = "/dashboard";

    /// <summary>The Orleans dashboard (section <c>Stoker:Dashboard</c>). Who may open it is the API's authentication's business.</summary>
    public static DashboardOptions AddStokerDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        builder.Services.AddSingleton(options);
        if (options.RetiredCredentialsProblem() is { } retired)
        {
            throw new InvalidOperationException(retired);
        }

        if (!options.Enabled)
        {
            return options;
        }

        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        builder.UseOrleans(silo => silo.AddDashboard(dashboard => dashboard.CounterUpdateIntervalMs = (int)options.CounterUpdateInterval.TotalMilliseconds));
        return options;
    }

    /// <summary>
    /// Maps the dashboard under <see cref="RoutePrefix"/>, marked as the dashboard for authorization
    /// (<see cref="ApiAccess.Dashboard"/>: viewers may open it). Access is decided on the mapped endpoints themselves
    /// (metadata read by the authorization middleware after routing chose the endpoint), not by comparing the request
    /// path: routing matches paths ignoring case, so a path check would have to reproduce routing exactly, and
    /// <c>/Dashboard/</c> once slipped past one. The policy is required explicitly as well: were the middleware ever
    /// left out, ASP.NET refuses to run an endpoint that carries authorization metadata rather than serve it open.
    /// </summary>
    public static WebApplication UseStokerDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<DashboardOptions>();
        if (!options.Enabled)
        {
            return app;
        }

        var endpoints = app.MapOrleansDashboard(routePrefix: RoutePrefix).WithMetadata(ApiAccess.Dashboard);
        if (app.Services.HasStokerApiAuthentication())
        {
            endpoints.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        return app;
    }
}
