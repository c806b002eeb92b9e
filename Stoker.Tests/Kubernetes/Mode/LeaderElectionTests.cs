using k8s;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>Several silos: one watches, elected through a coordination.k8s.io/v1 Lease; another takes over when it stops.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Only_the_leader_watches_and_a_successor_takes_over_without_missing_an_update()
    {
        var first = await _bed.StartSiloAsync("silo-a");
        await Eventually.Until(() => Task.FromResult(first.Watcher.IsLeading), l => l, Timeout, "silo-a leading");
        var second = await _bed.StartSiloAsync("silo-b");

        await _bed.CreateAsync("plant", "one");
        await _bed.CreateAsync("plant", "two");
        await Eventually.Until(() => first.Store.ListAsync("plant"), l => l.Count == 2, Timeout, "the leader applied both");
        Assert.False(second.Watcher.IsLeading);
        Assert.Equal(0, second.Handler.Applied);

        var lease = await _bed.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-silo-leader", "stoker-system");
        Assert.Equal("silo-a", lease.Spec.HolderIdentity);

        // The leader goes; while nobody watches, resources change.
        await first.StopAsync();
        await _bed.SetAnnotationAsync("plant", "one", "example.com/while-leaderless", "yes");
        await _bed.PatchAsync("plant", "two", """{"spec":{"git":{"ref":"other"}}}""");
        await _bed.CreateAsync("plant", "three");

        await Eventually.Until(() => Task.FromResult(second.Watcher.IsLeading), l => l, Timeout, "silo-b leading");
        var stored = await Eventually.Until(() => second.Store.ListAsync("plant"),
            l => l.Count == 3 && l.Single(r => r.Metadata.Name == "one").Metadata.Annotations?.ContainsKey("example.com/while-leaderless") == true
                 && l.Single(r => r.Metadata.Name == "two").Spec.Git.Ref == "other",
            Timeout, "every change made while leaderless applied by the successor");
        Assert.Equal(3, stored.Count);
        lease = await _bed.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-silo-leader", "stoker-system");
        Assert.Equal("silo-b", lease.Spec.HolderIdentity);
    }
}
