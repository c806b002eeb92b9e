using Microsoft.Extensions.Time.Testing;
using Stoker.AgentClient.Ignition;
using Stoker.IgnitionSimulator;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Ignition;

public sealed class DesignerSessionGateTests
{
    private static readonly SimulatedDesignerSession Alice = new("alice", "P") { Address = "10.0.0.9:52526", Timezone = "Europe/Berlin" };

    [Fact]
    public async Task GetDesignerSessionsAsync_OpenDesigners_ListsThemWithIgnitionFields()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice, new SimulatedDesignerSession("bob", "Q")]);
        using var client = TestGateway.Client(gateway);

        var sessions = await client.GetDesignerSessionsAsync();

        Assert.Equal(["alice on P", "bob on Q"], sessions.Select(s => s.ToString()));
        Assert.Equal(("designer-1", "10.0.0.9:52526", "Europe/Berlin"), (sessions[0].Id, sessions[0].Address, sessions[0].Timezone));
        var call = Assert.Single(gateway.Control.Calls);
        Assert.Equal(("GET", "/data/api/v1/designers", true), (call.Method, call.Path, call.Authorized));
    }

    [Fact]
    public async Task GetDesignerSessionsAsync_KeyNotAllowed_ThrowsWithStatus()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetForbidToken(true);
        using var client = TestGateway.Client(gateway);

        var error = await Assert.ThrowsAsync<IgnitionApiException>(() => client.GetDesignerSessionsAsync());

        Assert.Equal(403, error.StatusCode);
        Assert.StartsWith("designer sessions API returned HTTP 403", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proceed")]
    [InlineData("wait")]
    [InlineData("fail")]
    public async Task CheckAsync_NoDesignersOpen_Proceeds(string policy)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway);

        var decision = await new DesignerSessionGate(client).CheckAsync(policy);

        Assert.Equal((DesignerGateOutcome.NoSessions, false, 0), (decision.Outcome, decision.Blocked, decision.ActiveAtStart));
        Assert.Single(gateway.Control.Calls);
    }

    [Theory]
    [InlineData("proceed", DesignerGateOutcome.Proceeded)]
    [InlineData("", DesignerGateOutcome.Proceeded)]
    [InlineData(null, DesignerGateOutcome.Proceeded)]
    [InlineData("later", DesignerGateOutcome.UnknownPolicy)]
    public async Task CheckAsync_DesignerOpenAndPolicyProceeds_ProceedsAtOnce(string? policy, DesignerGateOutcome outcome)
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice]);
        using var client = TestGateway.Client(gateway);

        var decision = await new DesignerSessionGate(client).CheckAsync(policy);

        Assert.Equal((outcome, false, 1, "alice on P"), (decision.Outcome, decision.Blocked, decision.ActiveAtStart, decision.Summary));
        Assert.Null(decision.ErrorMessage);
    }

    [Fact]
    public async Task CheckAsync_PolicyFailWithADesignerOpen_BlocksWithTheSessionsInTheMessage()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice]);
        using var client = TestGateway.Client(gateway);

        var decision = await new DesignerSessionGate(client).CheckAsync("fail");

        Assert.True(decision.Blocked);
        Assert.Equal(DesignerGateOutcome.Failed, decision.Outcome);
        Assert.Equal("designer sessions active (policy=fail): alice on P", decision.ErrorMessage);
    }

    [Fact]
    public async Task CheckAsync_PolicyWaitAndDesignersCloseAfterAWhile_Proceeds()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice, new SimulatedDesignerSession("bob", "Q")]);
        using var client = TestGateway.Client(gateway);
        var waiting = new List<string>();

        var check = new DesignerSessionGate(client).CheckAsync("wait", (sessions, _) =>
        {
            waiting.Add(string.Join(", ", sessions));
            return Task.CompletedTask;
        });
        await Eventually.Until(
            () => Task.FromResult(gateway.CallsTo(IgnitionClient.DesignersPath).Count), n => n >= 3, TimeSpan.FromSeconds(10), "the gate to poll");
        gateway.Control.ClearDesignerSessions();
        var decision = await check;

        Assert.Equal((DesignerGateOutcome.SessionsClosed, false, 2), (decision.Outcome, decision.Blocked, decision.ActiveAtStart));
        Assert.Equal(["alice on P, bob on Q"], waiting);
    }

    [Fact]
    public async Task CheckAsync_PolicyWaitAndDesignersStayOpen_BlocksAfterFiveMinutes()
    {
        var clock = new FakeTimeProvider();
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice]);
        var options = new IgnitionClientOptions { BaseUrl = gateway.BaseUrl, ApiToken = TestGateway.Token };
        using var client = IgnitionClient.Create(options);
        var start = clock.GetUtcNow();

        var decision = await FakeClock.PumpAsync(clock, new DesignerSessionGate(client, clock).CheckAsync("wait"), TimeSpan.FromSeconds(10));

        Assert.Equal((DesignerGateOutcome.TimedOut, true), (decision.Outcome, decision.Blocked));
        Assert.Equal("designer sessions still active after 5m timeout: alice on P", decision.ErrorMessage);
        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromMinutes(5), $"gave up after {clock.GetUtcNow() - start}");
        // Polled every 10 s: at most 30 polls after the first look (fewer when a clock step landed between polls).
        Assert.InRange(gateway.CallsTo(IgnitionClient.DesignersPath).Count, 2, 31);
    }

    [Fact]
    public async Task CheckAsync_DesignerListFails_FailsOpen()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice]);
        gateway.Control.SetForbidToken(true);
        using var client = TestGateway.Client(gateway);

        var decision = await new DesignerSessionGate(client).CheckAsync("fail");

        Assert.Equal((DesignerGateOutcome.QueryFailed, false), (decision.Outcome, decision.Blocked));
    }

    [Fact]
    public async Task CheckAsync_DesignerListFailsWhileWaiting_Proceeds()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice]);
        using var client = TestGateway.Client(gateway);

        var check = new DesignerSessionGate(client).CheckAsync("wait");
        await Eventually.Until(
            () => Task.FromResult(gateway.CallsTo(IgnitionClient.DesignersPath).Count), n => n >= 2, TimeSpan.FromSeconds(10), "the gate to poll");
        gateway.Control.SetForbidToken(true);
        var decision = await check;

        Assert.Equal((DesignerGateOutcome.QueryFailed, false, 1), (decision.Outcome, decision.Blocked, decision.ActiveAtStart));
    }

    [Fact]
    public async Task CheckAsync_WaitCancelled_Blocks()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDesignerSessions([Alice]);
        using var client = TestGateway.Client(gateway);
        using var cancel = new CancellationTokenSource();

        var check = new DesignerSessionGate(client).CheckAsync("wait", cancellationToken: cancel.Token);
        await Eventually.Until(
            () => Task.FromResult(gateway.CallsTo(IgnitionClient.DesignersPath).Count), n => n >= 2, TimeSpan.FromSeconds(10), "the gate to poll");
        await cancel.CancelAsync();
        var decision = await check;

        Assert.Equal((DesignerGateOutcome.Cancelled, true), (decision.Outcome, decision.Blocked));
    }
}
