using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Audit;
using Stoker.Silo.Hosting;
using Stoker.Silo.Kubernetes;

namespace Stoker.Silo.Audit;

public static class AuditExtensions
{
    /// <summary>
    /// The audit log (section <c>Stoker:Audit</c>, docs/security.md "Audit log"): in local mode on by default, into
    /// <c>{state folder}/audit.log</c>; in Kubernetes mode off unless <c>Stoker:Audit:Path</c> is set (a file, or
    /// <c>-</c> for standard output), since the cluster's API server already audits the resources. Bad settings stop the
    /// silo at start, naming them. Returns the file written, <c>-</c>, or null when off.
    /// </summary>
    public static string? AddStokerAudit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var options = configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new AuditOptions();
        var validation = new AuditOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(AuditOptions.SectionName, typeof(AuditOptions), validation.Failures);
        }

        var kubernetes = SiloModeResolver.Resolve(configuration) == SiloMode.Kubernetes;
        var enabled = options.Enabled ?? (!kubernetes || options.Path is not null);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(options));
        if (!enabled)
        {
            services.AddSingleton<IAuditSink>(NullAuditSink.Instance);
            return null;
        }

        var path = options.Path;
        if (path is null)
        {
            var silo = configuration.GetSection(StokerSiloOptions.SectionName).Get<StokerSiloOptions>() ?? new StokerSiloOptions();
            path = Path.Join(silo.EffectiveStatePath, AuditOptions.DefaultFileName);
        }

        var file = path == AuditOptions.StandardOutput ? null : path;
        services.AddSingleton(sp => new AuditLogWriter(file, options.MaxFileBytes, options.MaxFiles, sp.GetRequiredService<ILogger<AuditLogWriter>>()));
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<AuditLogWriter>());
        return path;
    }

    /// <summary>Records mutating requests; before authentication, so refused requests are recorded too.</summary>
    public static WebApplication UseStokerAudit(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<AuditMiddleware>();
        return app;
    }
}
