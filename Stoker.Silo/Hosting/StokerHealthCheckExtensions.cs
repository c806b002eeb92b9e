using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Stoker.Silo.Persistence;

namespace Stoker.Silo.Hosting;

public static class StokerHealthCheckExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    private const string ReadyTag = "ready";

    /// <summary>
    /// Readiness checks: the silo is active in its cluster and, with PostgreSQL, the database answers. Liveness runs
    /// no check: a database outage must not make Kubernetes restart a silo that will serve again once it is back.
    /// </summary>
    public static IServiceCollection AddStokerHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var checks = services.AddHealthChecks().AddCheck<SiloActiveHealthCheck>(SiloActiveHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<Transport.SiloTransportHealthCheck>(Transport.SiloTransportHealthCheck.Name, tags: [ReadyTag]);
        var storage = configuration.GetSection(StokerStorageOptions.SectionName).Get<StokerStorageOptions>() ?? new StokerStorageOptions();
        if (storage.ConnectionString is { } connectionString)
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton(sp => new PostgresStorageHealthCheck(connectionString, sp.GetRequiredService<TimeProvider>()));
            checks.AddCheck<PostgresStorageHealthCheck>(PostgresStorageHealthCheck.Name, tags: [ReadyTag]);
        }

        return services;
    }

    /// <summary><c>/healthz</c> (liveness: the process answers) and <c>/readyz</c> (200 or 503 with one line per check).</summary>
    public static IEndpointRouteBuilder MapStokerHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync });
        return endpoints;
    }

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(": ").Append(entry.Status);
            if (entry.Description is { Length: > 0 } description)
            {
                text.Append(": ").Append(description);
            }

            text.Append('\n');
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}
