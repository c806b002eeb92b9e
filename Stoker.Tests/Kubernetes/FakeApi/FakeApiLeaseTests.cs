using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>Leases with optimistic concurrency, and KubernetesClient's leader election over them.</summary>
public sealed class FakeApiLeaseTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lease_update_from_a_stale_read_gets_409_conflict()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        var coordination = fake.Client.CoordinationV1;
        var created = await coordination.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = "stoker-leader" }, Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 } }, "stoker");

        var fresh = await coordination.ReadNamespacedLeaseAsync("stoker-leader", "stoker");
        fresh.Spec.HolderIdentity = "b";
        var updated = await coordination.ReplaceNamespacedLeaseAsync(fresh, "stoker-leader", "stoker");
        Assert.Equal("b", updated.Spec.HolderIdentity);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);

        created.Spec.HolderIdentity = "c";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => coordination.ReplaceNamespacedLeaseAsync(created, "stoker-leader", "stoker"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => coordination.CreateNamespacedLeaseAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = "stoker-leader" }, Spec = new V1LeaseSpec() }, "stoker"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
    }

    [Fact]
    public async Task Two_electors_elect_one_leader_and_the_other_takes_over_when_it_stops()
    {
        await using var fake = await FakeApiHarness.StartAsync();
        using var clientA = fake.NewClient();
        using var clientB = fake.NewClient();
        var (electorA, electorB) = (Elector(clientA, "silo-a"), Elector(clientB, "silo-b"));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = Run(electorA, stopA.Token);
        var runB = Run(electorB, stopB.Token);
        try
        {
            var first = await Eventually.Until(
                () => Task.FromResult(electorA.IsLeader() ? "silo-a" : electorB.IsLeader() ? "silo-b" : null),
                leader => leader is not null,
                Deadline,
                "a leader");
            Assert.False(electorA.IsLeader() && electorB.IsLeader());
            var lease = await fake.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-leader", "stoker");
            Assert.Equal(first, lease.Spec.HolderIdentity);

            // The leader stops renewing (its silo died); the other must take the lease once it expires.
            var (leaderStop, other, otherName) = first == "silo-a" ? (stopA, electorB, "silo-b") : (stopB, electorA, "silo-a");
            await leaderStop.CancelAsync();
            await Eventually.Until(() => Task.FromResult(other.IsLeader()), leads => leads, Deadline, $"{otherName} to take over");
            var taken = await fake.Client.CoordinationV1.ReadNamespacedLeaseAsync("stoker-leader", "stoker");
            Assert.Equal(otherName, taken.Spec.HolderIdentity);
            Assert.True(taken.Spec.LeaseTransitions >= 1);
            Assert.Contains(fake.Server.Requests, r => r.Resource == "leases" && r.Verb == "update");
        }
        finally
        {
            await stopA.CancelAsync();
            await stopB.CancelAsync();
            await Task.WhenAll(runA, runB);
        }
    }

    private static LeaderElector Elector(IKubernetes client, string identity) =>
        new(new LeaderElectionConfig(new LeaseLock(client, "stoker", "stoker-leader", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        });

    private static Task Run(LeaderElector elector, CancellationToken cancellation) => Task.Run(async () =>
    {
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }, CancellationToken.None);
}
