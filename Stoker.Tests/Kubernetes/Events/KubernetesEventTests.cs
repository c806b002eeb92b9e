using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Silo.Kubernetes.Events;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;
using Stoker.Tests.Kubernetes.Mode;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubernetes.Events;

/// <summary>
/// The controller's events on the custom resource, from a silo in Kubernetes mode to the fake API server: the
/// original's reasons, messages and frequencies, aggregated into one Event object per repeat (count, lastTimestamp).
/// </summary>
public sealed class KubernetesEventTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ns = "plant";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Invalid_profiles_are_a_warning_on_the_resource_and_repeats_count_on_the_same_event()
    {
        var silo = await _bed.StartSiloAsync("silo-a");
        var resource = KubernetesModeBed.Resource(Ns, "bad", _bed.Repo.Path);
        resource["spec"]!["sync"]!["profiles"]!["default"]!["mappings"]![0]!["source"] = "../../etc";
        var created = await CreateAsync(resource);
        var uid = KubernetesModeBed.Text(created["metadata"]!["uid"]);

        var warning = await WaitForEventAsync("bad", "ProfilesInvalid", e => e.Count == 1);
        Assert.Equal("Warning", warning.Type);
        Assert.StartsWith("Profile validation failed: spec.sync.profiles.default.mappings[0].source", warning.Message, StringComparison.Ordinal);
        Assert.Equal("stoker.io/v1alpha1", warning.InvolvedObject.ApiVersion);
        Assert.Equal("GatewaySync", warning.InvolvedObject.Kind);
        Assert.Equal("bad", warning.InvolvedObject.Name);
        Assert.Equal(Ns, warning.InvolvedObject.NamespaceProperty);
        Assert.Equal(uid, warning.InvolvedObject.Uid);
        Assert.Equal(Ns, warning.Metadata.NamespaceProperty);
        Assert.Equal("gatewaysync-controller", warning.Source.Component);
        Assert.Equal("gatewaysync-controller", warning.ReportingComponent);
        Assert.Equal("silo-a", warning.ReportingInstance);
        Assert.Equal(warning.FirstTimestamp, warning.LastTimestamp);

        // Each change of the resource is refused again with the same message: counted on the same Event object.
        await _bed.SetAnnotationAsync(Ns, "bad", "example.com/touch", "1");
        await _bed.SetAnnotationAsync(Ns, "bad", "example.com/touch", "2");
        var repeated = await WaitForEventAsync("bad", "ProfilesInvalid", e => e.Count == 3);
        Assert.Equal(warning.Metadata.Name, repeated.Metadata.Name);
        Assert.Single(await EventsAsync("bad"));
        Assert.Equal(1, EventWrites("POST"));
        Assert.InRange(EventWrites("PATCH"), 1, 2);
        Assert.True(repeated.LastTimestamp >= warning.LastTimestamp);
        Assert.Equal(0, silo.Services.GetRequiredService<KubernetesEventRecorder>().Dropped);
    }

    [Fact]
    public async Task Gateways_discovered_and_a_missing_sidecar_on_every_pass_become_count_bumps()
    {
        var silo = await _bed.StartSiloAsync();
        var resource = KubernetesModeBed.Resource(Ns, "fleet", _bed.Repo.Path);
        resource["spec"]!["polling"] = new JsonObject { ["enabled"] = true, ["interval"] = "1s" };
        await CreateAsync(resource);
        await Eventually.Until(() => _bed.GetAsync(Ns, "fleet"), r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True", Timeout, "the ref resolved");

        // A pod whose sidecar was not injected, as pod discovery reports it.
        var grain = silo.Client.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync(Ns, "fleet"));
        await grain.ExpectGateway(new ExpectedGateway { Name = "north", Namespace = Ns, PodName = "north-0", MissingSidecar = true });
        var discovered = await WaitForEventAsync("fleet", "GatewaysDiscovered", e => e.Message == "Discovered 1 gateway(s) (was 0)");
        Assert.Equal("Normal", discovered.Type);

        // An agent registers for another gateway.
        var agent = new FakeAgent(silo.Client, Ns, "fleet", "south");
        await agent.RegisterAsync();
        await WaitForEventAsync("fleet", "GatewaysDiscovered", e => e.Message == "Discovered 2 gateway(s) (was 1)");

        // Polled every second: one warning per pass, on one Event object whose count and last timestamp move.
        var missing = await WaitForEventAsync("fleet", "MissingSidecar", e => e.Count >= 3);
        Assert.Equal("Warning", missing.Type);
        Assert.Equal(
            "Pod north-0 has inject annotation but no stoker-agent sidecar \u2014 webhook may have been unavailable during pod creation. Delete and recreate the pod.",
            missing.Message);
        Assert.True(missing.LastTimestamp > missing.FirstTimestamp, $"{missing.FirstTimestamp:O} .. {missing.LastTimestamp:O}");
        var all = await EventsAsync("fleet");
        Assert.Single(all, e => e.Reason == "MissingSidecar");
        Assert.Equal(all.Count, EventWrites("POST"));
        output.WriteLine($"MissingSidecar count {missing.Count}: {EventWrites("POST")} creates, {EventWrites("PATCH")} patches at the API server");
        agent.Forget();
    }

    [Fact]
    public async Task Paused_is_recorded_on_the_transition_only()
    {
        var silo = await _bed.StartSiloAsync();
        var recorder = silo.Services.GetRequiredService<KubernetesEventRecorder>();
        var resource = KubernetesModeBed.Resource(Ns, "held", _bed.Repo.Path);
        resource["spec"]!["paused"] = true;
        await CreateAsync(resource);
        var paused = await WaitForEventAsync("held", "Paused", e => e.Count == 1);
        Assert.Equal("Normal", paused.Type);
        Assert.Equal("Reconciliation paused", paused.Message);

        // Another pass while paused records nothing.
        var recorded = recorder.Recorded;
        await _bed.SetAnnotationAsync(Ns, "held", "example.com/touch", "1");
        await Eventually.Until(() => Task.FromResult(silo.AppliedCount($"{Ns}/held")), n => n == 2, Timeout, "the second pass");
        Assert.Equal(recorded, recorder.Recorded);

        // Unpaused and paused again: a new transition, counted on the same Event object.
        await _bed.PatchAsync(Ns, "held", """{"spec":{"paused":false}}""");
        await Eventually.Until(() => _bed.GetAsync(Ns, "held"), r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "Ready")?["reason"]) != "Paused", Timeout, "unpaused");
        await _bed.PatchAsync(Ns, "held", """{"spec":{"paused":true}}""");
        var again = await WaitForEventAsync("held", "Paused", e => e.Count == 2);
        Assert.Equal(paused.Metadata.Name, again.Metadata.Name);
        Assert.Single(await EventsAsync("held"), e => e.Reason == "Paused");
    }

    [Fact]
    public async Task A_ref_failure_is_recorded_once_while_it_keeps_failing()
    {
        var silo = await _bed.StartSiloAsync();
        var recorder = silo.Services.GetRequiredService<KubernetesEventRecorder>();
        await CreateAsync(KubernetesModeBed.Resource(Ns, "lost", _bed.Repo.Path, gitRef: "no-such-ref"));
        var failed = await WaitForEventAsync("lost", "RefResolutionFailed", e => e.Count == 1);
        Assert.Equal("Warning", failed.Type);
        Assert.StartsWith("Ref resolution failed: ref \"no-such-ref\" not found in remote", failed.Message, StringComparison.Ordinal);

        var recorded = recorder.Recorded;
        await _bed.SetAnnotationAsync(Ns, "lost", "example.com/touch", "1");
        await _bed.SetAnnotationAsync(Ns, "lost", "example.com/touch", "2");
        await Eventually.Until(() => Task.FromResult(silo.AppliedCount($"{Ns}/lost")), n => n == 3, Timeout, "two more passes");
        var condition = KubernetesModeBed.Condition(await Eventually.Until(() => _bed.GetAsync(Ns, "lost"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["message"])?.Contains("retry in 2m0s", StringComparison.Ordinal) == true,
            Timeout, "the third failure on the resource"), "RefResolved");
        Assert.Equal("False", KubernetesModeBed.Text(condition?["status"]));
        Assert.Equal(recorded, recorder.Recorded);
        await Eventually.Until<bool>(() => Task.FromResult(recorder.IsIdle), idle => idle, Timeout, "the recorder idle");
        Assert.Equal(1, Assert.Single(await EventsAsync("lost")).Count);
    }

    [Fact]
    public async Task Event_writes_the_API_server_refuses_for_a_while_are_retried()
    {
        var silo = await _bed.StartSiloAsync();
        var unavailable = _bed.Api.InjectFailure(r => r.Resource == "events" && r.Method == "POST", 503, times: 3);
        var resource = KubernetesModeBed.Resource(Ns, "held", _bed.Repo.Path);
        resource["spec"]!["paused"] = true;
        await CreateAsync(resource);
        await WaitForEventAsync("held", "Paused", e => e.Count == 1);
        Assert.Equal(3, unavailable.Hits);
        var recorder = silo.Services.GetRequiredService<KubernetesEventRecorder>();
        Assert.True(recorder.FailedWrites >= 3, $"{recorder.FailedWrites} failed writes");
        Assert.Contains(silo.Logs.Lines, l => l.Contains("writing failed, retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resources_not_taken_from_Kubernetes_get_no_events()
    {
        var silo = await _bed.StartSiloAsync();
        var parsed = GatewaySyncSerializer.FromNode(KubernetesModeBed.Resource(Ns, "local", _bed.Repo.Path, gitRef: "no-such-ref"));
        var applied = await silo.Store.ApplyAsync(parsed.Resource!);
        var stored = await Eventually.Until(() => silo.Store.GetAsync(Ns, "local"), r => r is not null && GatewaySyncApply.Reconciled(r, applied.Metadata.Generation), Timeout, "the failed reconcile");
        Assert.Equal("False", stored!.Status?.Conditions?.Single(c => c.Type == "RefResolved").Status);
        Assert.Equal(0, silo.Services.GetRequiredService<KubernetesEventRecorder>().Recorded);
        Assert.Empty(await EventsAsync("local"));
    }

    private async Task<JsonObject> CreateAsync(JsonObject resource) =>
        System.Text.Json.JsonSerializer.SerializeToNode(await _bed.Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, "stoker.io", "v1alpha1", Ns, "gatewaysyncs"))!.AsObject();

    private async Task<IReadOnlyList<Corev1Event>> EventsAsync(string name) =>
        (await _bed.Client.CoreV1.ListNamespacedEventAsync(Ns)).Items.Where(e => e.InvolvedObject.Name == name).ToList();

    private Task<Corev1Event> WaitForEventAsync(string name, string reason, Func<Corev1Event, bool> done) =>
        Eventually.Until(async () => (await EventsAsync(name)).FirstOrDefault(e => e.Reason == reason && done(e)), e => e is not null, Timeout,
            $"a {reason} event on {name}").ContinueWith(t => t.Result!, TaskScheduler.Default);

    /// <summary>Successful event writes of one method the fake API server received.</summary>
    private int EventWrites(string method) =>
        _bed.Api.Requests.Count(r => r.Resource == "events" && r.Group is null or "" && r.Method == method && r.Namespace == Ns && r.StatusCode < 300);
}
