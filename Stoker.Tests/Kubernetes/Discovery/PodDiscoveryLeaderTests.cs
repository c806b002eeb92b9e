using k8s;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;

namespace Stoker.Tests.Kubernetes.Discovery;

/// <summary>Pods are watched by the leader only, under the GatewaySync watch's lease; a successor's list finds what changed meanwhile.</summary>
public sealed class PodDiscoveryLeaderTests : IAsyncLifetime
{
    private const string Ns = "plant";
    private const string Cr = "site";
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private static bool ListedPods(KubernetesSiloHost silo) => silo.Logs.Lines.Any(l => l.Contains("Pods in (all namespaces) listed", StringComparison.Ordinal));

    [Fact]
    public async Task Only_the_leader_watches_pods_and_its_successor_finds_the_pods_changed_while_leaderless()
    {
        var first = await _bed.StartSiloAsync("silo-a");
        await Eventually.Until(() => Task.FromResult(first.Watcher.IsLeading), l => l, DiscoveryBed.Timeout, "silo-a leading");
        var second = await _bed.StartSiloAsync("silo-b");
        await _bed.CreateAsync(Ns, Cr);
        _bed.Api.Seed(DiscoveryBed.Pod(Ns, "gw-0", Cr));
        _bed.Api.Seed(DiscoveryBed.Pod(Ns, "gw-1", Cr));
        await Eventually.Until(() => _bed.GetAsync(Ns, Cr), r => r is not null && DiscoveryBed.GatewayField(r, "podName").SequenceEqual(["gw-0", "gw-1"]),
            DiscoveryBed.Timeout, "the leader's discovery on the resource");
        Assert.True(ListedPods(first));
        Assert.False(ListedPods(second));

        // The leader goes; while nobody watches, one pod goes and another comes.
        await first.StopAsync();
        await _bed.Client.CoreV1.DeleteNamespacedPodAsync("gw-0", Ns);
        _bed.Api.Seed(DiscoveryBed.Pod(Ns, "gw-2", Cr));

        await Eventually.Until(() => Task.FromResult(second.Watcher.IsLeading), l => l, DiscoveryBed.Timeout, "silo-b leading");
        await Eventually.Until(() => _bed.GetAsync(Ns, Cr), r => r is not null && DiscoveryBed.GatewayField(r, "podName").SequenceEqual(["gw-1", "gw-2"]),
            DiscoveryBed.Timeout, "the successor's discovery on the resource");
        Assert.True(ListedPods(second));
    }
}
