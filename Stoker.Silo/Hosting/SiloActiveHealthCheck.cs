using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Stoker.Silo.Hosting;

/// <summary>Readiness of the silo itself: it is <see cref="SiloStatus.Active"/> in its cluster's membership.</summary>
public sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public const string Name = "cluster";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active in its cluster")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status} in its cluster, not Active"));
    }
}
