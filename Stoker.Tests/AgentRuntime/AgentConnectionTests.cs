using System.Globalization;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentRuntime;

/// <summary>An agent that cannot reach its control plane keeps trying, says why, and still answers its probes.</summary>
public sealed class AgentConnectionTests : IDisposable
{
    private readonly TempDirectory _temp = new("agent-connect");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_ControlPlaneUnreachable_RetriesSayingWhy_ServesProbes_ExitsZeroOnSigterm()
    {
        var environment = new Dictionary<string, string>
        {
            ["CR_NAME"] = "site",
            ["CR_NAMESPACE"] = "ns",
            ["REPO_PATH"] = _temp.Combine("work"),
            ["SILO_ENDPOINTS"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["SILO_ALLOW_INSECURE"] = "true",
        };
        await using var agent = AgentProcessHost.Start(environment, _temp.Combine("data"));

        await Eventually.Until(() => Task.FromResult(agent.Output), o => o.Contains("cannot reach the control plane yet (attempt 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the first failed connection attempt to be explained");
        Assert.Equal((200, "ok"), await Eventually.Until(() => agent.GetAsync(agent.HealthPort, "/healthz"), r => r.Status != 0, TimeSpan.FromSeconds(10), "/healthz"));
        Assert.Equal((503, "starting"), await agent.GetAsync(agent.HealthPort, "/startupz"));
        Assert.Equal((503, "not ready"), await agent.GetAsync(agent.HealthPort, "/readyz"));
        Assert.Equal(0, await agent.MetricAsync("stoker_agent_control_plane_connected"));

        Assert.Equal(0, await agent.TerminateAsync(TimeSpan.FromSeconds(15)));
    }
}
