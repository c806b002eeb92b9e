using System.Text.Json.Nodes;
using k8s;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes.Mode;

/// <summary>
/// Kubernetes mode's resource source (list + watch of gatewaysyncs.stoker.io) and status on the resource, with a real
/// silo, KubernetesClient and the wire-level fake API server.
/// </summary>
public sealed class GatewaySyncWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private KubernetesModeBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubernetesModeBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_created_resource_is_applied_gets_the_finalizer_and_its_status_with_conditions_and_printer_fields()
    {
        var silo = await _bed.StartSiloAsync();
        await _bed.CreateAsync("plant", "site");

        var resource = await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "True"
                 && KubernetesModeBed.Condition(r, "AllGatewaysSynced") is not null && KubernetesModeBed.Condition(r, "Ready") is not null,
            Timeout, "the status on the custom resource");

        var status = resource!["status"]!;
        Assert.Equal(1, status["observedGeneration"]!.GetValue<long>());
        Assert.Equal(_bed.Commit, KubernetesModeBed.Text(status["lastSyncCommit"]));
        Assert.Equal(_bed.Commit[..7], KubernetesModeBed.Text(status["lastSyncCommitShort"]));
        Assert.Equal("main", KubernetesModeBed.Text(status["lastSyncRef"]));
        Assert.NotNull(status["lastSyncTime"]);
        Assert.Equal(1, status["profileCount"]!.GetValue<int>());
        Assert.Equal("Resolved", KubernetesModeBed.Text(status["refResolutionStatus"]));

        // The printer columns' JSONPaths (Gateways, Ready, Status) read these.
        var gateways = KubernetesModeBed.Condition(resource, "AllGatewaysSynced")!;
        Assert.Equal("False", KubernetesModeBed.Text(gateways["status"]));
        Assert.Equal("NoGatewaysDiscovered", KubernetesModeBed.Text(gateways["reason"]));
        Assert.Equal("0/0 synced", KubernetesModeBed.Text(gateways["message"]));
        var ready = KubernetesModeBed.Condition(resource, "Ready")!;
        Assert.Equal("False", KubernetesModeBed.Text(ready["status"]));
        Assert.Equal("Waiting for gateways to sync", KubernetesModeBed.Text(ready["message"]));
        Assert.Equal(1, ready["observedGeneration"]!.GetValue<long>());

        var finalizers = (resource["metadata"]!["finalizers"] as JsonArray)!.Select(f => f!.GetValue<string>());
        Assert.Contains("stoker.io/finalizer", finalizers);

        var statusWrites = _bed.Api.Requests.Where(r => r.Subresource == "status" && r.Method == "PATCH").ToList();
        Assert.NotEmpty(statusWrites);
        Assert.All(statusWrites, r =>
        {
            Assert.Equal("stoker", r.FieldManager);
            Assert.StartsWith("application/merge-patch+json", r.ContentType, StringComparison.Ordinal);
        });

        // The grain holds it as applied from Kubernetes, with the custom resource's identity and generation.
        var stored = await silo.Store.GetAsync("plant", "site");
        Assert.Equal(KubernetesModeBed.Text(resource["metadata"]!["uid"]), stored!.Metadata.Uid);
        Assert.Equal(1, stored.Metadata.Generation);
    }

    [Fact]
    public async Task Status_label_and_finalizer_only_updates_do_not_apply_again_annotation_and_spec_changes_do()
    {
        var silo = await _bed.StartSiloAsync();
        await _bed.CreateAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"), r => KubernetesModeBed.Condition(r, "Ready") is not null, Timeout, "the first status");
        Assert.Equal(1, silo.AppliedCount("plant/site"));

        await _bed.PatchStatusAsync("plant", "site", """{"status":{"lastSyncRef":"someone-else"}}""");
        await _bed.PatchAsync("plant", "site", """{"metadata":{"labels":{"team":"ops"}}}""");
        await _bed.PatchAsync("plant", "site", """{"metadata":{"finalizers":["stoker.io/finalizer","example.com/other"]}}""");

        // An annotation change is applied; once it is, the three updates before it were seen and passed over.
        await _bed.SetAnnotationAsync("plant", "site", "example.com/note", "one");
        await Eventually.Until(() => silo.Store.GetAsync("plant", "site"),
            s => s?.Metadata.Annotations?.GetValueOrDefault("example.com/note") == "one", Timeout, "the annotation in the grain");
        await Eventually.Until(() => Task.FromResult(silo.AppliedCount("plant/site")), c => c >= 2, Timeout, "the second apply logged");
        Assert.Equal(2, silo.AppliedCount("plant/site"));

        await _bed.PatchAsync("plant", "site", """{"spec":{"git":{"ref":"v-next"}}}""");
        var generation = (await _bed.GetAsync("plant", "site"))!["metadata"]!["generation"]!.GetValue<long>();
        Assert.Equal(2, generation);
        await Eventually.Until(() => silo.Store.GetAsync("plant", "site"), s => s?.Spec.Git.Ref == "v-next", Timeout, "the new spec in the grain");
        Assert.Equal(2, (await silo.Store.GetAsync("plant", "site"))!.Metadata.Generation);

        // The status follows the new generation (the ref does not exist: RefResolved=False; as in the original, a
        // failed pass leaves status.observedGeneration alone and the condition carries the generation).
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => KubernetesModeBed.Condition(r, "RefResolved")?["observedGeneration"]?.GetValue<long>() == 2 && KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "RefResolved")?["status"]) == "False",
            Timeout, "the status of generation 2");
        Assert.Equal(3, silo.AppliedCount("plant/site"));
    }

    [Fact]
    public async Task Deleting_a_resource_cleans_the_grain_up_then_removes_the_finalizer()
    {
        var silo = await _bed.StartSiloAsync();
        await _bed.CreateAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"),
            r => (r?["metadata"]?["finalizers"] as JsonArray)?.Any(f => f?.GetValue<string>() == "stoker.io/finalizer") == true
                 && KubernetesModeBed.Condition(r, "Ready") is not null,
            Timeout, "the finalizer and status");
        Assert.NotNull(await silo.Store.GetAsync("plant", "site"));

        await _bed.DeleteAsync("plant", "site");
        await Eventually.Until(() => _bed.GetAsync("plant", "site"), r => r is null, Timeout, "the custom resource gone once the finalizer is removed");
        Assert.Null(await silo.Store.GetAsync("plant", "site"));
        Assert.DoesNotContain("plant/site", (await silo.Store.ListAsync(null)).Select(r => r.Key));

        // The finalizer was removed by a patch of ours, after the cleanup.
        Assert.Contains(_bed.Api.Requests, r => r.Method == "PATCH" && r.Subresource is null && r.Name == "site" && r.FieldManager == "stoker");
    }

    [Fact]
    public async Task Nothing_is_missed_across_a_watch_that_ends_and_a_410_Gone()
    {
        var silo = await _bed.StartSiloAsync();
        const int count = 6;
        for (var i = 0; i < count; i++)
        {
            await _bed.CreateAsync("plant", $"gs-{i}");
        }

        await Eventually.Until(() => silo.Store.ListAsync("plant"), l => l.Count == count, Timeout, "every resource applied");
        var changes = 0;

        // The watch ends: the silo reconnects from the last resourceVersion it saw.
        Assert.True(_bed.Api.DropWatches() >= 1);
        for (var i = 0; i < count; i += 2)
        {
            await _bed.SetAnnotationAsync("plant", $"gs-{i}", "example.com/round", "1");
            changes++;
        }

        // The silo cannot watch for a while (503s); meanwhile resources change and the history is compacted.
        // Resuming from its resourceVersion then gets 410 Gone, so it lists again and finds every change made
        // meanwhile, a deletion and a creation included.
        var blocked = _bed.Api.InjectFailure(r => r.Verb == "watch", 503, times: int.MaxValue);
        _bed.Api.DropWatches();
        await Eventually.Until(() => Task.FromResult(blocked.Hits), h => h >= 1, Timeout, "the silo's watch refused");
        for (var i = 1; i < count; i += 2)
        {
            await _bed.SetAnnotationAsync("plant", $"gs-{i}", "example.com/round", "2");
            changes++;
        }

        await _bed.DeleteAsync("plant", "gs-0");
        await _bed.CreateAsync("plant", "gs-new");
        changes += 2;
        _bed.Api.Compact();
        blocked.Remaining = 0;

        var stored = await Eventually.Until(() => silo.Store.ListAsync("plant"),
            l => l.Count == count && l.All(r => r.Metadata.Name == "gs-new" || r.Metadata.Annotations?.ContainsKey("example.com/round") == true)
                 && l.Any(r => r.Metadata.Name == "gs-new") && l.All(r => r.Metadata.Name != "gs-0"),
            Timeout, $"all {changes} changes in the grains");
        foreach (var resource in stored.Where(r => r.Metadata.Name != "gs-new"))
        {
            var index = int.Parse(resource.Metadata.Name!["gs-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(index % 2 == 0 ? "1" : "2", resource.Metadata.Annotations!["example.com/round"]);
        }

        await Eventually.Until(() => _bed.GetAsync("plant", "gs-0"), r => r is null, Timeout, "gs-0 finalized");
        Assert.Single(silo.Logs.Lines, l => l.Contains("GatewaySyncs watch in", StringComparison.Ordinal) && l.Contains("is gone (410); listing again", StringComparison.Ordinal));

        // A 410 inside the stream (an ERROR event, as a real API server may send it): listed again as well.
        Assert.True(_bed.Api.ExpireWatches() >= 1);
        await _bed.SetAnnotationAsync("plant", "gs-1", "example.com/round", "3");
        changes++;
        await Eventually.Until(() => silo.Store.GetAsync("plant", "gs-1"),
            r => r?.Metadata.Annotations?.GetValueOrDefault("example.com/round") == "3", Timeout, $"change {changes} in the grain");
        Assert.Equal(2, silo.Logs.Lines.Count(l => l.Contains("GatewaySyncs watch in", StringComparison.Ordinal) && l.Contains("is gone (410); listing again", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_resource_the_silo_refuses_gets_a_condition_and_the_others_go_on()
    {
        var silo = await _bed.StartSiloAsync();

        // Stored as given, past any schema check: what a CRD older or looser than the silo's would let through.
        var bad = KubernetesModeBed.Resource("plant", "bad", _bed.Repo.Path);
        bad["spec"]!["sync"]!["profiles"]!["default"]!["mappings"] = new JsonArray();
        bad["metadata"]!["generation"] = 1;
        _bed.Api.Seed(bad);
        await _bed.CreateAsync("plant", "good");

        var refused = await Eventually.Until(() => _bed.GetAsync("plant", "bad"),
            r => KubernetesModeBed.Text(KubernetesModeBed.Condition(r, "Ready")?["reason"]) == "InvalidSpec", Timeout, "the refusal on the resource");
        Assert.Contains("spec.sync.profiles", KubernetesModeBed.Text(KubernetesModeBed.Condition(refused, "Ready")!["message"]), StringComparison.Ordinal);
        Assert.Equal("False", KubernetesModeBed.Text(KubernetesModeBed.Condition(refused, "Ready")!["status"]));
        await Eventually.Until(() => _bed.GetAsync("plant", "good"), r => KubernetesModeBed.Condition(r, "Ready") is not null, Timeout, "the good resource's status");
        Assert.Null(await silo.Store.GetAsync("plant", "bad"));

        // Refused once, not in a loop: a later watch event for another resource does not retry it.
        await _bed.SetAnnotationAsync("plant", "good", "example.com/note", "x");
        await Eventually.Until(() => silo.Store.GetAsync("plant", "good"), s => s?.Metadata.Annotations?.ContainsKey("example.com/note") == true, Timeout, "the annotation");
        Assert.Single(silo.Logs.Lines, l => l.Contains("GatewaySync plant/bad (generation 1) refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Finalizers_are_written_at_the_version_read_so_another_controllers_finalizer_is_never_lost()
    {
        // The first finalizer write meets a conflict (another controller wrote in between, as the 409 says): nothing is
        // overwritten, and the newer version the watch delivers is handled again.
        var conflict = _bed.Api.InjectFailure(r => r.Method == "PATCH" && r.Resource == "gatewaysyncs" && r.Subresource is null, 409);
        var silo = await _bed.StartSiloAsync();
        var resource = KubernetesModeBed.Resource("plant", "shared", _bed.Repo.Path);
        resource["metadata"]!["finalizers"] = new JsonArray("example.com/other");
        await _bed.Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, "stoker.io", "v1alpha1", "plant", "gatewaysyncs");
        await Eventually.Until(() => Task.FromResult(conflict.Hits), h => h == 1, Timeout, "the conflicting finalizer write");

        await _bed.SetAnnotationAsync("plant", "shared", "example.com/touched", "yes");
        var stored = await Eventually.Until(() => _bed.GetAsync("plant", "shared"),
            r => (r?["metadata"]?["finalizers"] as JsonArray)?.Select(f => f!.GetValue<string>()).Order().SequenceEqual(["example.com/other", "stoker.io/finalizer"]) == true,
            Timeout, "both finalizers on the resource");
        Assert.NotNull(stored);

        // Deleted: ours goes once cleaned up, the other controller's stays (the resource waits for it).
        await _bed.DeleteAsync("plant", "shared");
        await Eventually.Until(() => _bed.GetAsync("plant", "shared"),
            r => (r?["metadata"]?["finalizers"] as JsonArray)?.Select(f => f!.GetValue<string>()).SequenceEqual(["example.com/other"]) == true,
            Timeout, "only the other controller's finalizer left");
        // Logged once the patch has returned, which may be after the test saw its effect.
        await Eventually.Until(() => Task.FromResult(silo.Logs.Lines), l => l.Any(x => x.Contains("GatewaySync plant/shared: cleaned up and finalizer removed", StringComparison.Ordinal)),
            Timeout, "the clean-up logged");
    }
}
