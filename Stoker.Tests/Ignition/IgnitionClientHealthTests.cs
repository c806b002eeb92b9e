using Stoker.AgentClient.Ignition;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Ignition;

public sealed class IgnitionClientHealthTests
{
    [Fact]
    public async Task HealthCheckAsync_RunningGateway_IsHealthyWithGatewayInfo()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway);

        var health = await client.HealthCheckAsync();

        Assert.True(health.IsHealthy, health.ToString());
        Assert.Equal(200, health.StatusCode);
        Assert.Equal("Ignition-simulator", health.Info?.Name);
        Assert.StartsWith("8.3.", health.Info?.IgnitionVersion, StringComparison.Ordinal);
        var call = Assert.Single(gateway.Control.Calls);
        Assert.Equal(("GET", "/data/api/v1/gateway-info", true), (call.Method, call.Path, call.Authorized));
    }

    [Fact]
    public async Task HealthCheckAsync_WrongToken_Reports401()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway, token: "stoker-agent:nope");

        var health = await client.HealthCheckAsync();

        Assert.False(health.IsHealthy);
        Assert.Equal(401, health.StatusCode);
        Assert.StartsWith("gateway returned HTTP 401: the gateway did not accept the API key", health.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheckAsync_StartingUntilTold_Is503ThenHealthy()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetStarting();
        using var client = TestGateway.Client(gateway);

        var starting = await client.HealthCheckAsync();
        gateway.Control.SetRunning();
        var running = await client.HealthCheckAsync();

        Assert.Equal((false, 503, "gateway returned HTTP 503"), (starting.IsHealthy, starting.StatusCode, starting.Error));
        Assert.True(running.IsHealthy, running.ToString());
    }

    [Fact]
    public async Task HealthCheckAsync_GatewayStartingForAWhile_BecomesHealthyByItself()
    {
        await using var gateway = await TestGateway.StartAsync(startingFor: TimeSpan.FromMilliseconds(500));
        using var client = TestGateway.Client(gateway);

        var first = await client.HealthCheckAsync();
        var later = await Eventually.Until(() => client.HealthCheckAsync(), h => h.IsHealthy, TimeSpan.FromSeconds(10), "the gateway to finish starting");

        Assert.Equal(503, first.StatusCode);
        Assert.Equal(200, later.StatusCode);
        Assert.Contains(gateway.Control.Calls, c => c.Status == 503);
    }

    [Fact]
    public async Task HealthCheckAsync_NothingListening_ReportsTransportError()
    {
        using var client = IgnitionClient.Create(TestGateway.Options(new Uri($"http://127.0.0.1:{FreePort.Next()}/")));

        var health = await client.HealthCheckAsync();

        Assert.False(health.IsHealthy);
        Assert.Null(health.StatusCode);
        Assert.StartsWith("gateway health check: Connection refused", health.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortCheckAsync_RunningGateway_IsUpWithoutSendingTheToken()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var client = TestGateway.Client(gateway);

        var port = await client.PortCheckAsync();

        Assert.True(port.IsUp, port.ToString());
        Assert.Equal("RUNNING", port.ContextStatus);
        var call = Assert.Single(gateway.Control.Calls);
        Assert.Equal(("GET", "/system/gwinfo", false, 200), (call.Method, call.Path, call.Authorized, call.Status));
    }

    [Fact]
    public async Task PortCheckAsync_StartingGateway_IsDownWith503()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway.Control.SetStarting();
        using var client = TestGateway.Client(gateway);

        var port = await client.PortCheckAsync();

        Assert.Equal((false, 503, "gateway returned HTTP 503 (still starting)"), (port.IsUp, port.StatusCode, port.Error));
    }

    [Fact]
    public async Task PortCheckAsync_NothingListening_IsDown()
    {
        using var client = IgnitionClient.Create(TestGateway.Options(new Uri($"http://127.0.0.1:{FreePort.Next()}/")));

        var port = await client.PortCheckAsync();

        Assert.False(port.IsUp);
        Assert.StartsWith("gateway port check: Connection refused", port.Error, StringComparison.Ordinal);
    }
}
