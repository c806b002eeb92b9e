using System.Diagnostics;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>Status writes are coalesced per resource (at most one a second) and retried until the last state lands.</summary>
public sealed class StatusWriteTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Two_hundred_gateways_reporting_at_once_cause_a_handful_of_status_writes()
    {
        var silo = await _bed.StartSiloAsync();
        await _bed.CreateAsync("plant", "fleet");
        await Eventually.Until(() => _bed.GetAsync("plant", "fleet"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", Timeout, "the first status");
        var before = _bed.StatusWrites("plant", "fleet");

        const int gateways = 200;
        var agents = Enumerable.Range(0, gateways).Select(i => new FakeAgent(silo.Client, "plant", "fleet", $"gw-{i:D3}")).ToList();
        var clock = Stopwatch.StartNew();
        var states = await Task.WhenAll(agents.Select(a => a.RegisterAsync()));
        await Task.WhenAll(agents.Zip(states).Select(p => p.First.ReportSyncedAsync(p.Second!)));
        var reported = clock.Elapsed;

        await Eventually.Until(() => _bed.GetAsync("plant", "fleet"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "AllGatewaysSynced")?["message"]) == $"{gateways}/{gateways} synced"
                 && (r?["status"]?["discoveredGateways"] as System.Text.Json.Nodes.JsonArray)?.Count == gateways,
            Timeout, "all gateways synced on the custom resource");
        var writes = _bed.StatusWrites("plant", "fleet") - before;

        // One write a second at most, plus the one that may start at once: bounded by how long reporting took, and
        // nowhere near one per gateway.
        var bound = (int)Math.Ceiling(reported.TotalSeconds) + 2;
        output.WriteLine($"{gateways} gateways registered and reported in {reported.TotalMilliseconds:F0} ms: {writes} status writes");
        Assert.True(writes <= bound, $"{writes} status writes for {gateways} gateways reporting in {reported.TotalMilliseconds:F0} ms (bound {bound})");
        Assert.True(writes <= 10, $"{writes} status writes for {gateways} gateways");
        agents.ForEach(a => a.Forget());
    }

    [Fact]
    public async Task A_failed_status_write_is_retried_and_the_last_state_lands()
    {
        var silo = await _bed.StartSiloAsync();

        // The API server answers the first status writes with 409 Conflict, then 503 (as while it restarts).
        var conflicts = _bed.Api.InjectFailure(r => r.Subresource == "status" && r.Method == "PATCH", 409, times: 2);
        var unavailable = _bed.Api.InjectFailure(r => r.Subresource == "status" && r.Method == "PATCH", 503, times: 2);
        await _bed.CreateAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", Timeout, "the status after the failures");
        Assert.Equal(2, conflicts.Hits);
        Assert.Equal(2, unavailable.Hits);

        // A spec change while writes fail: the status of the newest generation lands.
        _bed.Api.InjectFailure(r => r.Subresource == "status" && r.Method == "PATCH", 409, times: 3);
        await _bed.PatchAsync("plant", "site", """{"spec":{"git":{"ref":"no-such-ref"}}}""");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Condition(r, "RefResolved")?["observedGeneration"]?.GetValue<long>() == 2 && KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "False",
            Timeout, "the status of generation 2");
        Assert.Contains(silo.Logs.Lines, l => l.Contains("writing the status failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stopping_silo_writes_its_pending_status_at_once_rather_than_dropping_it()
    {
        // One write a minute: the change below can only land before the stop by the stopping silo's drain.
        var silo = await _bed.StartSiloAsync(settings: new Dictionary<string, string?> { ["Stoker:Kubernetes:StatusWriteInterval"] = "00:01:00" });
        await _bed.CreateAsync("plant", "drain");
        await Eventually.Until(() => _bed.GetAsync("plant", "drain"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", Timeout, "the first status");

        var agent = new FakeAgent(silo.Client, "plant", "drain", "gw-late");
        await agent.RegisterAsync();
        var grain = silo.Client.GetGrain<Stoker.Grains.Interfaces.Grains.IGatewaySyncGrain>("plant/drain");
        await Eventually.Until(() => grain.Get(), r => r?.Status?.DiscoveredGateways?.Any(g => g.Name == "gw-late") == true, Timeout,
            "the gateway in the grain's status (handed to the writer, which waits out its interval)");
        var onResource = await _bed.GetAsync("plant", "drain");
        Assert.DoesNotContain("gw-late", onResource?["status"]?.ToJsonString() ?? "", StringComparison.Ordinal);

        agent.Forget();
        await silo.StopAsync();

        var stored = await _bed.GetAsync("plant", "drain");
        Assert.Contains("gw-late", stored?["status"]?["discoveredGateways"]?.ToJsonString() ?? "", StringComparison.Ordinal);
    }
}
