using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Stoker.Silo.Transport;

/// <summary>
/// Always healthy: it is there so <c>/readyz</c>'s detail says how agents connect, and shows at a glance a silo that
/// takes plain TCP (<c>Stoker:Silo:AllowInsecureAgents</c>).
/// </summary>
public sealed class SiloTransportHealthCheck(SiloTransport? transport = null) : IHealthCheck
{
    public const string Name = "transport";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(transport?.Describe() ?? "no Orleans ports in this process"));
}
