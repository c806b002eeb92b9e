using System.Net;
using System.Net.Sockets;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>
/// The one-way release flow (docs/architecture.md, "Releases"): a registration never waits for the GatewaySync, and a
/// release that changes nothing for a gateway reaches its agent as nothing.
/// </summary>
public sealed class ReleaseFlowTests : IClassFixture<ControlPlaneFixture>, IDisposable
{
    private const string NoPolling = "  polling:\n    enabled: false";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly ControlPlaneFixture _fixture;
    private readonly GitRepository _repo = GitRepository.Create();

    public ReleaseFlowTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _repo.WriteFile("projects/A/p.json", "1");
        _repo.Commit("one");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Register_WhileGatewaySyncWaitsOnAnLsRemoteHeldOpen_IsAnsweredFromTheGatewaysOwnState()
    {
        var grain = _fixture.Host.GatewaySync("ns", "held");
        var first = await grain.ApplyAndReconcile(ResourceBuilder.Create("held", _repo.Path, "main", NoPolling));
        var commit = first.Status!.LastSyncCommit;
        var early = new FakeAgent(_fixture.Host.AgentClient, "ns", "held", "gw-early");
        Assert.Equal(commit, (await early.RegisterAsync())!.Commit);

        // A git server that accepts the ls-remote and answers nothing until the registration below has returned.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = Task.Run(async () =>
        {
            using var socket = await server.AcceptSocketAsync();
            requestArrived.TrySetResult();
            try
            {
                await registered.Task.WaitAsync(Deadline);
            }
            finally
            {
                // Closing without an answer makes the ls-remote fail at once: the reconcile ends as a ref failure.
                socket.Close();
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}/git/held";
        // Apply answers at once; the reconcile it scheduled then holds in the ls-remote until the server lets go.
        var applied = await grain.Apply(ResourceBuilder.Create("held", url, "main", NoPolling)).WaitAsync(Deadline);
        try
        {
            await requestArrived.Task.WaitAsync(Deadline);
            Assert.False(GatewaySyncApply.Reconciled((await grain.Get())!, applied.Metadata.Generation), "the GatewaySync is still in its ls-remote");

            // A gateway never seen before (a new activation) and one already registered both get through.
            var fresh = new FakeAgent(_fixture.Host.AgentClient, "ns", "held", "gw-fresh");
            var desired = await fresh.RegisterAsync().WaitAsync(Deadline);
            Assert.Equal(commit, desired!.Commit);
            Assert.True(await early.HeartbeatAsync().WaitAsync(Deadline) > 0);
            await early.ReportSyncedAsync(desired).WaitAsync(Deadline);
            Assert.False(serving.IsCompleted, "the registration was answered while the ls-remote was held open");
            Assert.False(GatewaySyncApply.Reconciled((await grain.Get())!, applied.Metadata.Generation), "the registration was answered while the reconcile waited");
            registered.TrySetResult();

            var failed = await grain.WaitReconciled(applied.Metadata.Generation);
            Assert.Equal(ConditionStatus.False, failed.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Status);
            await serving.WaitAsync(Deadline);

            // Both summaries reach the status once the GatewaySync is free again.
            await Eventually.Until(grain.Get, r => r!.Status!.DiscoveredGateways?.Count == 2, Deadline, "both gateways in the status");
            fresh.Forget();
        }
        finally
        {
            registered.TrySetResult();
            server.Stop();
            early.Forget();
        }
    }

    [Fact]
    public async Task ProfileChanged_GatewayOnAnotherProfile_GetsNoPush()
    {
        var grain = _fixture.Host.GatewaySync("ns", "two");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("two", _repo.Path, "main", NoPolling, TwoProfiles("b-projects")));
        var a = new FakeAgent(_fixture.Host.AgentClient, "ns", "two", "gw-a", profile: "a");
        var b = new FakeAgent(_fixture.Host.AgentClient, "ns", "two", "gw-b", profile: "b");
        var desiredA = (await a.RegisterAsync())!;
        var desiredB = (await b.RegisterAsync())!;
        Assert.Equal(("a", "b"), (desiredA.ProfileName, desiredB.ProfileName));
        var (pushesA, pushesB) = (a.Pushes, b.Pushes);

        // Profile b's mappings change: gw-b is pushed a new state, gw-a is not.
        await grain.ApplyAndReconcile(ResourceBuilder.Create("two", _repo.Path, "main", NoPolling, TwoProfiles("b-elsewhere")));
        await Eventually.Until(() => Task.FromResult(b.Inbox.Current), d => d!.Profile!.Mappings[0].Destination == "b-elsewhere", Deadline, "gw-b's new profile");
        Assert.Equal(pushesB + 1, b.Pushes);

        // A change gw-a does get goes through the same path (release, Gateway grain, push): when it has arrived, the
        // profile change, published before it, would have too.
        _repo.WriteFile("projects/A/p.json", "2");
        var second = _repo.Commit("two");
        await grain.RequestRef(new RefRequest { Ref = "main", Commit = second, RequestedAt = DateTimeOffset.UnixEpoch });
        await Eventually.Until(() => Task.FromResult(a.Inbox.Current), d => d!.Commit == second, Deadline, "gw-a's new commit");
        Assert.Equal(pushesA + 1, a.Pushes);
        Assert.True(a.Inbox.Current!.Version > desiredA.Version);
        Assert.Equal(desiredA.CanonicalProfile, a.Inbox.Current.CanonicalProfile);
        a.Forget();
        b.Forget();
    }

    private static string TwoProfiles(string bDestination) => $"""
              a:
                mappings:
                  - source: projects
                    destination: projects
              b:
                mappings:
                  - source: projects
                    destination: {bDestination}
        """;
}
