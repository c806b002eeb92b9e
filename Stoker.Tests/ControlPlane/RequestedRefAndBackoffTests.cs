using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.ControlPlane;

/// <summary>The requested ref (docs/webhooks.md) and its self-cleaning, paused, backoff.</summary>
public sealed class RequestedRefAndBackoffTests : IClassFixture<ControlPlaneFixture>, IDisposable
{
    private const string NoPolling = "  polling:\n    enabled: false";
    private readonly ControlPlaneFixture _fixture;
    private readonly GitRepository _repo = GitRepository.Create();
    private readonly string _v1;
    private readonly string _v2;

    public RequestedRefAndBackoffTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
        _repo.WriteFile("projects/A/p.json", "1");
        _v1 = _repo.Commit("one");
        _repo.Tag("v1.0.0");
        _repo.WriteFile("projects/A/p.json", "2");
        _v2 = _repo.Commit("two");
        _repo.Tag("v2.0.0", "two");
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task RequestedRef_OverridesSpecRefAndResolves()
    {
        var grain = _fixture.Host.GatewaySync("ns", "b33");
        var applied = await grain.ApplyAndReconcile(ResourceBuilder.Create("b33", _repo.Path, "v1.0.0", NoPolling));
        Assert.Equal(_v1, applied.Status!.LastSyncCommit);

        var outcome = await grain.RequestRef(new RefRequest { Ref = "v2.0.0", Source = "github", RequestedAt = DateTimeOffset.UnixEpoch });

        Assert.Equal(RefRequestOutcome.Accepted, outcome);
        var resolved = await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == _v2, TimeSpan.FromSeconds(10), "requested ref v2.0.0 to resolve");
        Assert.Equal("v2.0.0", resolved!.Status!.LastSyncRef);
        Assert.Equal("v2.0.0", resolved.Metadata.Annotations![Annotations.RequestedRef]);
        Assert.Equal("github", resolved.Metadata.Annotations[Annotations.RequestedBy]);
        Assert.Equal(RefRequestOutcome.AlreadyRequested, await grain.RequestRef(new RefRequest { Ref = "v2.0.0", RequestedAt = DateTimeOffset.UnixEpoch }));
    }

    [Fact]
    public async Task RequestedRef_ClearedOnceSpecRefCatchesUpIgnoringLeadingV()
    {
        _repo.Tag("1.2.3");
        _repo.Tag("v1.2.3");
        var grain = _fixture.Host.GatewaySync("ns", "b34");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("b34", _repo.Path, "main", NoPolling));
        await grain.RequestRef(new RefRequest { Ref = "v1.2.3", RequestedAt = DateTimeOffset.UnixEpoch });
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncRef == "v1.2.3" || r.Status.LastSyncCommit == _v2, TimeSpan.FromSeconds(10), "requested ref resolution");

        var caughtUp = await grain.ApplyAndReconcile(ResourceBuilder.Create("b34", _repo.Path, "1.2.3", NoPolling));

        Assert.False(caughtUp.Metadata.Annotations?.ContainsKey(Annotations.RequestedRef) ?? false);
    }

    [Fact]
    public async Task RequestedRef_StaysWhileSpecRefDiffers()
    {
        var grain = _fixture.Host.GatewaySync("ns", "b35");
        await grain.ApplyAndReconcile(ResourceBuilder.Create("b35", _repo.Path, "main", NoPolling));
        await grain.RequestRef(new RefRequest { Ref = "v1.0.0", RequestedAt = DateTimeOffset.UnixEpoch });
        await Eventually.Until(grain.Get, r => r!.Status!.LastSyncCommit == _v1, TimeSpan.FromSeconds(10), "requested ref v1.0.0 to resolve");

        var reapplied = await grain.ApplyAndReconcile(ResourceBuilder.Create("b35", _repo.Path, "v2.0.0", NoPolling));

        Assert.Equal("v1.0.0", reapplied.Metadata.Annotations![Annotations.RequestedRef]);
        Assert.Equal(_v1, reapplied.Status!.LastSyncCommit);
    }

    [Fact]
    public async Task Paused_ReadyFalsePausedWhileRefResolutionKeepsRunning()
    {
        var grain = _fixture.Host.GatewaySync("ns", "b10");
        var agent = new FakeAgent(_fixture.Host.AgentClient, "ns", "b10", "gw");

        var status = (await grain.ApplyAndReconcile(ResourceBuilder.Create("b10", _repo.Path, "main", "  paused: true"))).Status!;

        RefResolutionGrainTests.AssertCondition(status, ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Paused, "Reconciliation paused");
        RefResolutionGrainTests.AssertCondition(status, ConditionTypes.RefResolved, ConditionStatus.True, ConditionReasons.RefResolved, _v2);
        Assert.Null(await agent.RegisterAsync());

        var resumed = await grain.ApplyAndReconcile(ResourceBuilder.Create("b10", _repo.Path, "main"));
        Assert.NotEqual(ConditionReasons.Paused, resumed.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Reason);
        await Eventually.Until(() => Task.FromResult(agent.Inbox.Current), d => d?.Commit == _v2, TimeSpan.FromSeconds(10), "desired state after unpausing");
    }

    [Fact]
    public async Task Backoff_DoublesToFiveMinutesResetsOnSuccessAndOnRequest()
    {
        var grain = _fixture.Host.GatewaySync("ns", "backoff");
        // Each apply names another missing ref, so each is a new generation whose reconcile the helper can wait for
        // (Apply answers before reconciling; an unchanged re-apply would answer with the previous reconcile's status).
        var applies = 0;
        GatewaySync Bad() => ResourceBuilder.Create("backoff", _repo.Path, "missing-" + ++applies, NoPolling);
        var expected = new[] { "30s", "1m0s", "2m0s", "4m0s", "5m0s", "5m0s", "5m0s", "5m0s", "5m0s", "5m0s", "5m0s" };
        var seen = new List<string>();
        foreach (var _ in expected)
        {
            seen.Add(RetryIn(await grain.ApplyAndReconcile(Bad())));
        }

        Assert.Equal(expected, seen);
        var good = await grain.ApplyAndReconcile(ResourceBuilder.Create("backoff", _repo.Path, "main", NoPolling));
        Assert.Equal(_v2, good.Status!.LastSyncCommit);
        Assert.Equal("30s", RetryIn(await grain.ApplyAndReconcile(Bad())));
        Assert.Equal("1m0s", RetryIn(await grain.ApplyAndReconcile(Bad())));

        await grain.RequestRef(new RefRequest { Ref = "also-missing", RequestedAt = DateTimeOffset.UnixEpoch });
        var afterRequest = await Eventually.Until(grain.Get, r => r!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message.Contains("also-missing", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the requested ref to fail");
        Assert.Equal("30s", RetryIn(afterRequest!));
    }

    private static string RetryIn(GatewaySync resource)
    {
        var message = resource.Status!.Conditions!.Single(c => c.Type == ConditionTypes.RefResolved).Message;
        Assert.StartsWith("Ref resolution failed (retry in ", message, StringComparison.Ordinal);
        return message["Ref resolution failed (retry in ".Length..message.IndexOf(')', StringComparison.Ordinal)];
    }
}
