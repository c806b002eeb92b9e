using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Kubernetes.FakeApi.FakeApiHarness;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>What tests of retries need: an API server that goes away and comes back, and injected error answers.</summary>
public sealed class FakeApiOutageTests
{
    [Fact]
    public async Task A_stopped_server_refuses_connections_and_comes_back_at_the_same_address_with_its_objects()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var created = Json(await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural));
        await using var watch = WatchRecorder.GatewaySyncs(fake.Client, ResourceVersionOf(created), bookmarks: false);
        await Eventually.Until(() => Task.FromResult(fake.Server.Store.OpenWatches), n => n == 1, TimeSpan.FromSeconds(20), "the watch to open");

        var port = fake.Server.Url.Port;
        await fake.Server.StopAsync();
        await Eventually.Until(() => Task.FromResult(watch.Ended), ended => ended, TimeSpan.FromSeconds(20), "the watch to end with the server");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => custom.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a"));

        // Writes made while the server was down (by another writer straight into the store, as etcd would keep them).
        fake.Server.Seed(GatewaySync("b").ToJsonString());
        await fake.Server.StartAsync(port);
        Assert.Equal(port, fake.Server.Url.Port);
        Assert.NotNull(Json(await custom.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a")));
        await using var resumed = WatchRecorder.GatewaySyncs(fake.Client, ResourceVersionOf(created), bookmarks: false);
        await Eventually.Until(() => Task.FromResult(resumed.Seen.Select(s => string.Join(' ', s.Split(' ').Take(2))).ToList()), seen => seen.SequenceEqual(["Added b"]), TimeSpan.FromSeconds(20), "the change made during the outage");
    }

    [Fact]
    public async Task Injected_failures_answer_matching_requests_with_a_status_then_stop()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural);
        var conflict = fake.Server.InjectFailure(r => r.Verb == "patch" && r.Subresource == "status", 409, times: 2);
        var patch = new V1Patch("""{"status":{"lastSyncRef":"main"}}""", V1Patch.PatchType.MergePatch);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var refused = await Assert.ThrowsAsync<HttpOperationException>(() => custom.PatchNamespacedCustomObjectStatusAsync(patch, CrGroup, CrVersion, "default", CrPlural, "a", fieldManager: "stoker"));
            Assert.Equal(HttpStatusCode.Conflict, refused.Response.StatusCode);
        }

        await custom.PatchNamespacedCustomObjectStatusAsync(patch, CrGroup, CrVersion, "default", CrPlural, "a", fieldManager: "stoker");
        Assert.Equal(2, conflict.Hits);
        Assert.Equal("main", fake.Server.GetGatewaySync("default", "a")!["status"]!["lastSyncRef"]!.GetValue<string>());
        Assert.Equal([409, 409, 200], fake.Server.Requests.Where(r => r.Subresource == "status").Select(r => r.StatusCode));
    }
}
