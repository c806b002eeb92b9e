using System.Text.Json.Nodes;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubernetes.Discovery;

/// <summary>
/// Pod discovery beyond the acceptance scenarios: gateways forgotten when their pods stop standing for them (shared
/// names included), expectations that wait for their GatewaySync, and nothing missed across a dropped watch and a
/// 410 Gone while pods change.
/// </summary>
public sealed class PodDiscoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ITestOutputHelper _output = output;
    private const string Ns = "plant";
    private const string Cr = "site";
    private DiscoveryBed _d = null!;

    public async Task InitializeAsync() => _d = await DiscoveryBed.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static Dictionary<string, string> Map(params (string Key, string Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private Task<JsonObject> GatewaysUntilAsync(string cr, IReadOnlyList<string> names, string what) =>
        _d.StatusUntilAsync(Ns, cr, r => DiscoveryBed.GatewayField(r, "name").SequenceEqual(names), what);

    [Fact]
    public async Task A_gateway_is_forgotten_when_no_pod_stands_for_it_any_more()
    {
        await _d.CreateResourceAsync(Ns, Cr);
        await _d.CreateResourceAsync(Ns, "other");
        _d.AddPod(Ns, "deleted-0", Cr);
        _d.AddPod(Ns, "finished-0", Cr);
        _d.AddPod(Ns, "unannotated-0", Cr);
        _d.AddPod(Ns, "moved-0", Cr);
        _d.AddPod(Ns, "shared-0", Cr, labels: Map(("app.kubernetes.io/name", "shared")));
        _d.AddPod(Ns, "shared-1", Cr, labels: Map(("app.kubernetes.io/name", "shared")));
        await GatewaysUntilAsync(Cr, ["deleted-0", "finished-0", "moved-0", "shared", "unannotated-0"], "all five gateways");

        await _d.DeletePodAsync(Ns, "deleted-0");
        await _d.SetPhaseAsync(Ns, "finished-0", "Succeeded");
        await _d.AnnotatePodAsync(Ns, "unannotated-0", "stoker.io/cr-name", null);
        await _d.AnnotatePodAsync(Ns, "moved-0", "stoker.io/cr-name", "other");

        // Two replicas share one name: one going leaves the gateway to the other.
        await _d.DeletePodAsync(Ns, "shared-0");
        var resource = await GatewaysUntilAsync(Cr, ["shared"], "only the shared gateway left");
        Assert.Equal(["shared-1"], DiscoveryBed.GatewayField(resource, "podName"));
        await GatewaysUntilAsync("other", ["moved-0"], "the moved pod under the other resource");

        await _d.DeletePodAsync(Ns, "shared-1");
        resource = await GatewaysUntilAsync(Cr, [], "no gateway left");
        Assert.Equal("NoGatewaysDiscovered", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "reason"));
    }

    [Fact]
    public async Task Pods_seen_before_their_GatewaySync_exists_are_its_gateways_when_it_appears_and_again_after_it_is_recreated()
    {
        _d.AddPod(Ns, "early-0", Cr);
        _d.AddPod(Ns, "early-1", Cr, Map(("stoker.io/inject", "true")));

        // A pod added after them shows under another resource: their events were handled before the resource existed.
        await _d.CreateResourceAsync(Ns, "other");
        _d.AddPod(Ns, "marker", "other");
        await GatewaysUntilAsync("other", ["marker"], "the marker pod");

        await _d.CreateResourceAsync(Ns, Cr);
        var resource = await GatewaysUntilAsync(Cr, ["early-0", "early-1"], "the early pods as gateways");
        Assert.Equal(["Pending", "MissingSidecar"], DiscoveryBed.GatewayField(resource, "syncStatus"));

        await _d.Bed.DeleteAsync(Ns, Cr);
        await Eventually.Until(() => _d.GetResourceAsync(Ns, Cr), r => r is null, DiscoveryBed.Timeout, "the resource gone");
        await _d.CreateResourceAsync(Ns, Cr);
        await GatewaysUntilAsync(Cr, ["early-0", "early-1"], "the pods' gateways on the recreated resource");
    }

    [Fact]
    public async Task Nothing_is_missed_across_a_dropped_watch_and_a_410_Gone_while_pods_change()
    {
        await _d.CreateResourceAsync(Ns, Cr);
        for (var i = 0; i < 4; i++)
        {
            _d.AddPod(Ns, $"gw-{i}", Cr);
        }

        await GatewaysUntilAsync(Cr, ["gw-0", "gw-1", "gw-2", "gw-3"], "four gateways");
        var changes = 0;

        // The watches end: the silo reconnects from the last resourceVersion it saw; changes made meanwhile arrive.
        Assert.True(_d.Bed.Api.DropWatches() >= 1);
        await _d.AnnotatePodAsync(Ns, "gw-0", "stoker.io/profile", "edge");
        _d.AddPod(Ns, "gw-4", Cr);
        changes += 2;
        await GatewaysUntilAsync(Cr, ["gw-0", "gw-1", "gw-2", "gw-3", "gw-4"], "the pod added across the dropped watch");

        // No watch can open for a while; pods change, the history is compacted: resuming gets 410 Gone, and the new
        // list finds everything, a deletion included (its gateway forgotten though no DELETED event ever came).
        var blocked = _d.Bed.Api.InjectFailure(r => r.Verb == "watch" && r.Resource == "pods", 503, times: int.MaxValue);
        _d.Bed.Api.DropWatches();
        await Eventually.Until(() => Task.FromResult(blocked.Hits), h => h >= 1, DiscoveryBed.Timeout, "the pod watch refused");
        await _d.DeletePodAsync(Ns, "gw-1");
        await _d.SetPhaseAsync(Ns, "gw-2", "Failed");
        await _d.AnnotatePodAsync(Ns, "gw-3", "stoker.io/inject", "true");
        _d.AddPod(Ns, "gw-5", Cr, Map(("stoker.io/profile", "edge")));
        changes += 4;
        _d.Bed.Api.Compact();
        blocked.Remaining = 0;

        var resource = await GatewaysUntilAsync(Cr, ["gw-0", "gw-3", "gw-4", "gw-5"], $"all {changes} changes");
        Assert.Equal(["edge", "", "", "edge"], DiscoveryBed.GatewayField(resource, "profile"));
        Assert.Equal(["Pending", "MissingSidecar", "Pending", "Pending"], DiscoveryBed.GatewayField(resource, "syncStatus"));
        Assert.Contains(_d.Silo.Logs.Lines, l => l.Contains("Pods watch in", StringComparison.Ordinal) && l.Contains("is gone (410); listing again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_hundred_pods_appearing_at_once_make_far_fewer_status_writes_than_pods()
    {
        const int count = 200;
        await _d.CreateResourceAsync(Ns, Cr);
        await _d.StatusUntilAsync(Ns, Cr, r => DiscoveryBed.ConditionField(r, "Ready", "status") is not null, "the first status");
        var before = _d.Bed.StatusWrites(Ns, Cr);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            _d.AddPod(Ns, $"gw-{i:000}", Cr);
        }

        var resource = await _d.StatusUntilAsync(Ns, Cr, r => DiscoveryBed.Gateways(r).Count == count, $"{count} gateways on the resource");
        var writes = _d.Bed.StatusWrites(Ns, Cr) - before;
        _output.WriteLine($"{count} pods discovered and on the resource in {clock.ElapsedMilliseconds} ms with {writes} status writes");
        Assert.Equal($"0/{count} synced", DiscoveryBed.ConditionField(resource, "AllGatewaysSynced", "message"));
        Assert.InRange(writes, 1, count / 4);
    }

    [Fact]
    public async Task Only_pods_in_the_configured_namespaces_are_discovered()
    {
        await using var scoped = await DiscoveryBed.StartAsync(new Dictionary<string, string?> { ["Stoker:Kubernetes:Namespaces:0"] = Ns });
        await scoped.CreateResourceAsync(Ns, Cr);
        scoped.AddPod("elsewhere", "ignored", Cr);
        scoped.AddPod(Ns, "watched", Cr);
        await scoped.StatusUntilAsync(Ns, Cr, r => DiscoveryBed.Gateways(r).Count == 1, "the watched namespace's pod");
        Assert.DoesNotContain(scoped.Bed.Api.Requests, r => r.Resource == "pods" && r.Namespace is null && r.Method == "GET");
    }
}
