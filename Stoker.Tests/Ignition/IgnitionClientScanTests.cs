using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Stoker.AgentClient.Ignition;
using Stoker.IgnitionSimulator;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Ignition;

public sealed class IgnitionClientScanTests
{
    [Fact]
    public async Task ScanAsync_HealthyGateway_ScansProjectsThenConfigWithToken()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway);

        var result = await client.ScanAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("projects=200 config=200", result.ToString());
        var calls = gateway.Control.Calls;
        Assert.Equal(
            [("POST", "/data/api/v1/scan/projects", true, 200), ("POST", "/data/api/v1/scan/config", true, 200)],
            calls.Select(c => (c.Method, c.Path, c.Authorized, c.Status ?? 0)));
        Assert.True(calls[0].Sequence < calls[1].Sequence);
    }

    [Fact]
    public async Task ScanAsync_WrongToken_Fails401AtOnceNamingTheKeySource()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway, token: "stoker-agent:wrong");

        var result = await client.ScanAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(
            "error: scan/projects: HTTP 401: the gateway did not accept the API key from API_KEY_FILE (/etc/stoker/api-key)", result.ToString());
        Assert.DoesNotContain("wrong", result.ToString(), StringComparison.Ordinal);
        // A wrong key will not heal in a few seconds: one attempt, and scan/config is never called.
        var call = Assert.Single(gateway.Control.Calls);
        Assert.Equal(("/data/api/v1/scan/projects", false, 401), (call.Path, call.Authorized, call.Status));
    }

    [Fact]
    public async Task ScanAsync_NoToken_Fails401NamingApiKeyFile()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway, token: null);

        var result = await client.ScanAsync();

        Assert.Equal(
            "error: scan/projects: HTTP 401: the gateway wants an API key and none is configured (set API_KEY_FILE)", result.ToString());
    }

    [Fact]
    public async Task ScanAsync_KeyWithoutPermission_Fails403()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetForbidToken(true);
        using var client = TestGateway.Client(gateway);

        var result = await client.ScanAsync();

        Assert.StartsWith("error: scan/projects: HTTP 403: the API key from API_KEY_FILE (/etc/stoker/api-key) is not allowed", result.ToString(), StringComparison.Ordinal);
        Assert.Single(gateway.Control.Calls);
    }

    [Fact]
    public async Task ScanAsync_ProjectsAnswer500_TriesThreeTimesAndReportsTheStatus()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.FailScans(500);
        using var client = TestGateway.Client(gateway);

        var result = await client.ScanAsync();

        Assert.False(result.Succeeded);
        Assert.Null(result.ProjectsStatus);
        Assert.Equal("error: scan/projects: after 3 retries: HTTP 500", result.ToString());
        Assert.Equal([500, 500, 500], gateway.Control.Calls.Select(c => c.Status ?? 0));
        Assert.Empty(gateway.CallsTo(IgnitionClient.ScanConfigPath));
    }

    [Fact]
    public async Task ScanAsync_DefaultRetryPolicy_WaitsTwoThenFourSeconds()
    {
        var clock = new FakeTimeProvider();
        await using var gateway = await TestGateway.StartAsync(clock);
        gateway.Control.FailScans(500, target: ScanTarget.Projects);
        var logger = new ListLogger<IgnitionClient>();
        var options = new IgnitionClientOptions { BaseUrl = gateway.BaseUrl, ApiToken = TestGateway.Token, RequestTimeout = TimeSpan.FromHours(1) };
        using var http = new HttpClient(IgnitionClient.CreateHandler(options));
        using var client = new IgnitionClient(http, options, clock, logger);

        var result = await FakeClock.PumpAsync(clock, client.ScanAsync(), TimeSpan.FromMilliseconds(250));

        Assert.Equal("error: scan/projects: after 3 retries: HTTP 500", result.ToString());
        var retries = logger.Entries.Where(e => e.EventId == 5002).ToList();
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], retries.Select(e => (TimeSpan)e.Values["Delay"]!));
        var times = gateway.Control.Calls.Select(c => c.Time).ToList();
        Assert.Equal(3, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(2), $"second attempt {times[1] - times[0]} after the first");
        Assert.True(times[2] - times[1] >= TimeSpan.FromSeconds(4), $"third attempt {times[2] - times[1]} after the second");
    }

    [Fact]
    public async Task ScanAsync_ConfigAnswer500_KeepsProjectsStatusAndReportsConfig()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.FailScans(500, target: ScanTarget.Config);
        using var client = TestGateway.Client(gateway);

        var result = await client.ScanAsync();

        Assert.Equal(200, result.ProjectsStatus);
        Assert.Equal("error: scan/config: after 3 retries: HTTP 500", result.ToString());
        Assert.Single(gateway.CallsTo(IgnitionClient.ScanProjectsPath));
        Assert.Equal(3, gateway.CallsTo(IgnitionClient.ScanConfigPath).Count);
    }

    [Fact]
    public async Task ScanAsync_TwoTransientFailures_SucceedsOnTheThirdAttempt()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.FailScans(503, count: 2, target: ScanTarget.Projects);
        using var client = TestGateway.Client(gateway);

        var result = await client.ScanAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal([503, 503, 200, 200], gateway.Control.Calls.Select(c => c.Status ?? 0));
    }

    [Fact]
    public async Task ScanAsync_GatewaySlowerThanTheTimeout_FailsPromptlyWithTimeout()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDelay(TimeSpan.FromSeconds(30));
        using var client = IgnitionClient.Create(new IgnitionClientOptions
        {
            BaseUrl = gateway.BaseUrl,
            ApiToken = TestGateway.Token,
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            ScanRetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)],
        });
        var clock = Stopwatch.StartNew();

        var result = await client.ScanAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(
            "error: scan/projects: after 3 retries: timed out after 300ms without an answer (IGNITION_REQUEST_TIMEOUT)", result.ToString());
        // The gateway saw three attempts and answered none of them before the client gave up.
        var calls = await Eventually.Until(
            () => Task.FromResult(gateway.Control.Calls), c => c.Count == 3 && c.All(x => x.Status is null), TimeSpan.FromSeconds(40), "three abandoned calls");
        Assert.All(calls, c => Assert.Equal("/data/api/v1/scan/projects", c.Path));
    }

    [Fact]
    public async Task ScanAsync_NothingListening_ReportsConnectionRefusedAfterRetries()
    {
        using var client = IgnitionClient.Create(TestGateway.Options(new Uri($"http://127.0.0.1:{FreePort.Next()}/")));

        var result = await client.ScanAsync();

        Assert.StartsWith("error: scan/projects: after 3 retries: Connection refused", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_CallerCancels_Throws()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetDelay(TimeSpan.FromSeconds(30));
        using var client = TestGateway.Client(gateway);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ScanAsync(cancel.Token));
    }
}
