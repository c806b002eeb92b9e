using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Stoker.Tests.FakeKubeApi;
using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Kubernetes.FakeApi.FakeApiHarness;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>List + watch through KubernetesClient: resuming from a resourceVersion, bookmarks, 410 Gone, dropped streams.</summary>
public sealed class FakeApiWatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly FakeKubeApiOptions FastBookmarks = new() { BookmarkInterval = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task A_watch_from_the_lists_resource_version_sees_every_later_change_and_bookmarks()
    {
        await using var fake = await StartAsync(FastBookmarks);
        var custom = fake.Client.CustomObjects;
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural);
        var listVersion = ResourceVersionOf(Json(await custom.ListClusterCustomObjectAsync(CrGroup, CrVersion, CrPlural)));

        await using var watch = WatchRecorder.GatewaySyncs(fake.Client, listVersion);
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("b", ns: "other"), CrGroup, CrVersion, "other", CrPlural);
        await custom.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"git":{"ref":"v2"}}}""", V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "a");
        await custom.DeleteNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a");
        var last = fake.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await Eventually.Until(
            () => Task.FromResult(watch.Events.Any(e => e.Type == WatchEventType.Bookmark && ResourceVersionOf(e.Object) == last)),
            seen => seen,
            Deadline,
            "a bookmark at the newest resourceVersion");
        var changes = watch.Events.Where(e => e.Type != WatchEventType.Bookmark).Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}").ToList();
        Assert.Equal(["Added b", "Modified a", "Deleted a"], changes);
        Assert.Null(watch.Error);
    }

    [Fact]
    public async Task A_watch_without_a_resource_version_starts_with_what_exists()
    {
        await using var fake = await StartAsync();
        await fake.Client.CustomObjects.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural);
        await fake.Client.CustomObjects.CreateNamespacedCustomObjectAsync(GatewaySync("b"), CrGroup, CrVersion, "default", CrPlural);

        await using var watch = WatchRecorder.GatewaySyncs(fake.Client, resourceVersion: null, bookmarks: false);
        await Eventually.Until(() => Task.FromResult(watch.Events.Count), n => n >= 2, Deadline, "synthetic ADDED events");
        Assert.All(watch.Events, e => Assert.Equal(WatchEventType.Added, e.Type));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_410_gone_and_a_relist_recovers()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var old = ResourceVersionOf(Json(await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural)));
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("b"), CrGroup, CrVersion, "default", CrPlural);
        fake.Server.Compact();

        await using var watch = WatchRecorder.GatewaySyncs(fake.Client, old);
        await Eventually.Until(() => Task.FromResult(watch.Ended), ended => ended, Deadline, "the watch to fail");
        var gone = Assert.IsType<HttpOperationException>(watch.Error);
        Assert.Equal(HttpStatusCode.Gone, gone.Response.StatusCode);
        Assert.Contains("\"reason\":\"Expired\"", gone.Response.Content, StringComparison.Ordinal);

        var relisted = Json(await custom.ListClusterCustomObjectAsync(CrGroup, CrVersion, CrPlural));
        Assert.Equal(2, relisted["items"]!.AsArray().Count);
        await using var resumed = WatchRecorder.GatewaySyncs(fake.Client, ResourceVersionOf(relisted), bookmarks: false);
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("c"), CrGroup, CrVersion, "default", CrPlural);
        await Eventually.Until(() => Task.FromResult(resumed.Seen.ToList()), seen => seen.Count == 1 && seen[0].StartsWith("Added c", StringComparison.Ordinal), Deadline, "only the new object");
    }

    [Fact]
    public async Task Gone_can_also_arrive_as_an_error_event_inside_the_stream()
    {
        await using var fake = await StartAsync(new FakeKubeApiOptions { GoneAsErrorEvent = true });
        var custom = fake.Client.CustomObjects;
        var old = ResourceVersionOf(Json(await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural)));
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("b"), CrGroup, CrVersion, "default", CrPlural);
        fake.Server.Compact();

        await using var watch = WatchRecorder.GatewaySyncs(fake.Client, old);
        await Eventually.Until(() => Task.FromResult(watch.Ended), ended => ended, Deadline, "the watch to end");
        var error = Assert.IsType<KubernetesException>(watch.Error);
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);

        // And into a stream already open.
        await using var open = WatchRecorder.GatewaySyncs(fake.Client, fake.Server.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Eventually.Until(() => Task.FromResult(fake.Server.Store.OpenWatches), n => n == 1, Deadline, "the watch to open");
        Assert.Equal(1, fake.Server.ExpireWatches());
        await Eventually.Until(() => Task.FromResult(open.Ended), ended => ended, Deadline, "the open watch to end");
        Assert.Equal(410, Assert.IsType<KubernetesException>(open.Error).Status.Code);
    }

    [Fact]
    public async Task A_dropped_watch_ends_cleanly_and_resuming_from_the_last_seen_version_misses_nothing()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var start = ResourceVersionOf(Json(await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural)));
        await using var watch = WatchRecorder.GatewaySyncs(fake.Client, start, bookmarks: false);
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("b"), CrGroup, CrVersion, "default", CrPlural);
        await Eventually.Until(() => Task.FromResult(watch.Events.Count), n => n == 1, Deadline, "the first event");

        Assert.Equal(1, fake.Server.DropWatches());
        await Eventually.Until(() => Task.FromResult(watch.Ended), ended => ended, Deadline, "the watch to end");
        Assert.Null(watch.Error);

        // Changes while nobody watches.
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("c"), CrGroup, CrVersion, "default", CrPlural);
        await custom.DeleteNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "b");

        var lastSeen = ResourceVersionOf(watch.Events.Last().Object);
        await using var resumed = WatchRecorder.GatewaySyncs(fake.Client, lastSeen, bookmarks: false);
        await Eventually.Until(() => Task.FromResult(resumed.Seen.Select(s => string.Join(' ', s.Split(' ').Take(2))).ToList()), seen => seen.SequenceEqual(["Added c", "Deleted b"]), Deadline, "the missed changes");
    }

    [Fact]
    public async Task A_label_selected_pod_watch_sees_pods_enter_and_leave_the_selection()
    {
        await using var fake = await StartAsync();
        var core = fake.Client.CoreV1;
        var start = (await core.ListPodForAllNamespacesAsync()).Metadata.ResourceVersion;

#pragma warning disable CS0618 // Watching through the list call is how KubernetesClient exposes it.
        var response = core.ListPodForAllNamespacesWithHttpMessagesAsync(labelSelector: "stoker.io/cr-name", resourceVersion: start, watch: true);
#pragma warning restore CS0618
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            try
            {
#pragma warning disable CS0618 // See WatchRecorder.
                await foreach (var (type, pod) in response.WatchAsync<V1Pod, V1PodList>(cancellationToken: stop.Token))
#pragma warning restore CS0618
                {
                    seen.Enqueue($"{type} {pod.Metadata.Name}");
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        await core.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = "plain" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] } }, "gw");
        await core.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"stoker.io/cr-name":"a"}}}""", V1Patch.PatchType.MergePatch), "plain", "gw");
        await core.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"podIP":"10.0.0.7"}}""", V1Patch.PatchType.MergePatch), "plain", "gw");
        await core.PatchNamespacedPodAsync(new V1Patch("""[{"op":"remove","path":"/metadata/labels/stoker.io~1cr-name"}]""", V1Patch.PatchType.JsonPatch), "plain", "gw");

        await Eventually.Until(() => Task.FromResult(seen.ToList()), s => s.SequenceEqual(["Added plain", "Modified plain", "Deleted plain"]), Deadline, "the pod entering and leaving");
        var pod = await core.ReadNamespacedPodAsync("plain", "gw");
        Assert.Equal("10.0.0.7", pod.Status.PodIP);
        await stop.CancelAsync();
        await run;
    }
}
