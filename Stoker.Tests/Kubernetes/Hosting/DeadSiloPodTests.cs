using k8s;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Rbac;

namespace Stoker.Tests.Kubernetes.Hosting;

/// <summary>
/// Orleans' Kubernetes hosting handles dead silos' pods: when a silo's pod is deleted, another silo declares that silo
/// dead at once (no waiting for missed pings), and the silo stops. Silos started from the manifests, on PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeadSiloPodTests(PostgresServer postgres)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DeletingASilosPod_DeclaresItsSiloDead()
    {
        await using var bed = await ManifestSiloBed.StartAsync(postgres);
        var first = await bed.StartSiloAsync(0);
        var second = await bed.StartSiloAsync(1);

        // Both silos watch the silo pods (Orleans' MaxAgents is 2), beside the leader's GatewaySync watch.
        await Eventually.Until(() => Task.FromResult(bed.Api.Store.OpenWatches), n => n >= 3, Timeout, $"the pod watches open\n{bed.Diagnostics()}");
        await bed.Kubernetes.Client.CoreV1.DeleteNamespacedPodAsync(second.Name, ManifestSet.SystemNamespace);

        await Eventually.Until(() => Task.FromResult(first.Output), o => o.Contains($"its corresponding pod, {second.Name}, has been deleted", StringComparison.Ordinal), Timeout,
            $"{first.Name} declaring {second.Name} dead\n{bed.Diagnostics()}");
        await Eventually.Until(() => second.StatusAsync("/healthz"), s => s != 200 || second.HasExited, Timeout, $"{second.Name} stopping\n{bed.Diagnostics()}");
        Assert.Equal(200, await first.StatusAsync("/healthz"));
    }
}
