using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Authentication;

/// <summary>Says once at start how the HTTP port authenticates, and warns when it lets anyone in.</summary>
public sealed partial class ApiAuthenticationStartupLog(ApiAuthenticationPlan plan, ApiTokenStore tokens, ILogger<ApiAuthenticationStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (plan.AllowAnonymous)
        {
            LogAnonymous(logger, plan.NonLoopbackUrl ?? "its loopback address", ApiAuthenticationOptions.SectionName);
        }

        var sources = new List<string>();
        if (plan.AdminTokenFile is { } admin)
        {
            sources.Add($"the admin token in {admin}");
        }

        if (plan.TokensFile is { } file)
        {
            sources.Add($"{tokens.FileTokenCount} tokens of {file}");
        }

        if (plan.Kubernetes)
        {
            sources.Add("Kubernetes TokenReview and SubjectAccessReview");
        }

        if (sources.Count > 0)
        {
            LogSources(logger, string.Join("; ", sources));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "API authentication is off: anyone who reaches {Url} may apply and delete GatewaySyncs and open the dashboard ({Section}:AllowAnonymous=true)")]
    private static partial void LogAnonymous(ILogger logger, string url, string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "API authentication: bearer tokens from {Sources}")]
    private static partial void LogSources(ILogger logger, string sources);
}
