using k8s;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>Several silos: one watches, elected through a coordination.k8s.io/v1 Lease; another takes over when it stops.</summary>
public sealed class LeaderElectionTests(ITestOutputHelper output) : IAsyncLifetime
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

        // The leader goes (a clean stop gives the Lease up at once); while nobody watches, resources change.
        await first.StopAsync();
        var released = await _bed.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-silo-leader", "stoker-system");
        Assert.True(string.IsNullOrEmpty(released.Spec.HolderIdentity) || released.Spec.HolderIdentity == "silo-b", released.Spec.HolderIdentity);
        Assert.True(released.Spec.HolderIdentity == "silo-b" || released.Spec.LeaseDurationSeconds == 1, $"{released.Spec.LeaseDurationSeconds}");
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

    [Fact]
    public async Task A_leader_stopping_cleanly_gives_its_lease_up()
    {
        // A lease far longer than the test's deadline: only a release lets the next silo lead in time.
        var longLease = new Dictionary<string, string?> { ["Stoker:Kubernetes:LeaseDuration"] = "00:05:00", ["Stoker:Kubernetes:RenewDeadline"] = "00:00:03" };
        var first = await _bed.StartSiloAsync("silo-a", longLease);
        await Eventually.Until(() => Task.FromResult(first.Watcher.IsLeading), l => l, Timeout, "silo-a leading");

        await first.StopAsync();
        var lease = await _bed.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-silo-leader", "stoker-system");
        Assert.True(string.IsNullOrEmpty(lease.Spec.HolderIdentity), lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
        Assert.Contains(first.Logs.Lines, l => l.Contains("silo-a released lease stoker-system/stoker-silo-leader", StringComparison.Ordinal));

        var second = await _bed.StartSiloAsync("silo-b", longLease);
        await Eventually.Until(() => Task.FromResult(second.Watcher.IsLeading), l => l, Timeout, "silo-b leading without waiting out the lease");
    }

    [Fact]
    public async Task A_killed_leader_process_is_succeeded_without_missing_an_update()
    {
        await using (var leader = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "leader", Environment = new Dictionary<string, string>
        {
            ["Stoker__Silo__Mode"] = "Kubernetes",
            ["Stoker__Kubernetes__KubeconfigPath"] = _bed.Kubeconfig,
            ["Stoker__Kubernetes__Identity"] = "silo-process",
            ["Stoker__Kubernetes__LeaseNamespace"] = "stoker-system",
            ["Stoker__Kubernetes__LeaseDuration"] = "00:00:04",
            ["Stoker__Kubernetes__RenewDeadline"] = "00:00:03",
            ["Stoker__Kubernetes__RetryPeriod"] = "00:00:00.500",
        } }))
        {
            await Eventually.Until(() => _bed.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-silo-leader", "stoker-system"),
                l => l.Spec.HolderIdentity == "silo-process", Timeout, "the process holding the lease");
            await _bed.CreateAsync("plant", "one");
            await Eventually.Until(() => _bed.GetAsync("plant", "one"), r => KubernetesModeBed.Condition(r, "Ready") is not null, Timeout,
                $"the process's status on the resource; its output:\n{leader.Output}");
        }

        // Killed: it neither releases the lease nor says goodbye. Resources change while nobody watches.
        var killed = System.Diagnostics.Stopwatch.StartNew();
        var successor = await _bed.StartSiloAsync("silo-b");
        await _bed.SetAnnotationAsync("plant", "one", "example.com/after-kill", "yes");
        await _bed.CreateAsync("plant", "two");
        await Eventually.Until(() => Task.FromResult(successor.Watcher.IsLeading), l => l, Timeout, "silo-b leading");
        await Eventually.Until(() => successor.Store.ListAsync("plant"),
            l => l.Count == 2 && l.Single(r => r.Metadata.Name == "one").Metadata.Annotations?.ContainsKey("example.com/after-kill") == true,
            Timeout, "the successor applied what changed after the kill");
        output.WriteLine($"killed leader succeeded and changes applied {killed.ElapsedMilliseconds} ms after the kill (lease 4 s, successor started after the kill)");
        await Eventually.Until(() => _bed.GetAsync("plant", "two"), r => KubernetesModeBed.Condition(r, "Ready") is not null, Timeout, "the successor's status");
    }
}
