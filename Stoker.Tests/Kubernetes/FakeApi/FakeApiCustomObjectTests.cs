using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Stoker.Tests.Kubernetes.FakeApi.FakeApiHarness;

namespace Stoker.Tests.Kubernetes.FakeApi;

/// <summary>Custom-object CRUD, optimistic concurrency, /status separation and finalizers, through KubernetesClient.</summary>
public sealed class FakeApiCustomObjectTests
{
    [Fact]
    public async Task Create_get_and_list_carry_server_metadata_and_honour_label_selectors()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var created = Json(await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a", labels: new Dictionary<string, string> { ["team"] = "x" }), CrGroup, CrVersion, "default", CrPlural));
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("b", ns: "other"), CrGroup, CrVersion, "other", CrPlural);

        Assert.Equal("1", ResourceVersionOf(created));
        Assert.Equal(1, GenerationOf(created));
        Assert.False(string.IsNullOrEmpty(created["metadata"]!["uid"]!.GetValue<string>()));
        Assert.EndsWith("Z", created["metadata"]!["creationTimestamp"]!.GetValue<string>(), StringComparison.Ordinal);

        var got = Json(await custom.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal("a", got["metadata"]!["name"]!.GetValue<string>());

        var all = Json(await custom.ListClusterCustomObjectAsync(CrGroup, CrVersion, CrPlural));
        Assert.Equal("GatewaySyncList", all["kind"]!.GetValue<string>());
        Assert.Equal("2", ResourceVersionOf(all));
        Assert.Equal(2, all["items"]!.AsArray().Count);

        var labelled = Json(await custom.ListClusterCustomObjectAsync(CrGroup, CrVersion, CrPlural, labelSelector: "team=x"));
        Assert.Equal("a", Assert.Single(labelled["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
        var hasKey = Json(await custom.ListClusterCustomObjectAsync(CrGroup, CrVersion, CrPlural, labelSelector: "team"));
        Assert.Single(hasKey["items"]!.AsArray());
        var inOther = Json(await custom.ListNamespacedCustomObjectAsync(CrGroup, CrVersion, "other", CrPlural));
        Assert.Equal("b", Assert.Single(inOther["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicates_missing_objects_and_stale_updates_get_the_api_servers_errors()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var created = Json(await custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural));

        var duplicate = await Assert.ThrowsAsync<HttpOperationException>(() => custom.CreateNamespacedCustomObjectAsync(GatewaySync("a"), CrGroup, CrVersion, "default", CrPlural));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", duplicate.Response.Content, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => custom.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "nope"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("""gatewaysyncs.stoker.io \"nope\" not found""", missing.Response.Content, StringComparison.Ordinal);

        var first = (JsonObject)created.DeepClone();
        first["spec"]!["git"]!["ref"] = "v1";
        var updated = Json(await custom.ReplaceNamespacedCustomObjectAsync(first, CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal(2, GenerationOf(updated));

        var stale = (JsonObject)created.DeepClone();
        stale["spec"]!["git"]!["ref"] = "v2";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => custom.ReplaceNamespacedCustomObjectAsync(stale, CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains("\"reason\":\"Conflict\"", conflict.Response.Content, StringComparison.Ordinal);

        var staleStatus = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = ResourceVersionOf(created) }, ["status"] = new JsonObject { ["x"] = "y" } };
        var statusConflict = await Assert.ThrowsAsync<HttpOperationException>(() => custom.PatchNamespacedCustomObjectStatusAsync(new V1Patch(staleStatus.ToJsonString(), V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal(HttpStatusCode.Conflict, statusConflict.Response.StatusCode);
    }

    [Fact]
    public async Task Status_writes_change_only_status_and_object_writes_never_change_status()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var withStatus = GatewaySync("a");
        withStatus["status"] = new JsonObject { ["ignored"] = true };
        var created = Json(await custom.CreateNamespacedCustomObjectAsync(withStatus, CrGroup, CrVersion, "default", CrPlural));
        Assert.Null(created["status"]);

        var statusPatch = new JsonObject
        {
            ["spec"] = new JsonObject { ["git"] = new JsonObject { ["repo"] = "changed-through-status" } },
            ["status"] = new JsonObject { ["observedGeneration"] = 1, ["lastSyncRef"] = "main" },
        };
        var afterStatus = Json(await custom.PatchNamespacedCustomObjectStatusAsync(new V1Patch(statusPatch.ToJsonString(), V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "a", fieldManager: "stoker"));
        Assert.Equal("https://example.invalid/repo.git", afterStatus["spec"]!["git"]!["repo"]!.GetValue<string>());
        Assert.Equal("main", afterStatus["status"]!["lastSyncRef"]!.GetValue<string>());
        Assert.Equal(1, GenerationOf(afterStatus));
        Assert.NotEqual(ResourceVersionOf(created), ResourceVersionOf(afterStatus));

        // The same status again changes nothing: no new resourceVersion.
        var again = Json(await custom.PatchNamespacedCustomObjectStatusAsync(new V1Patch(statusPatch.ToJsonString(), V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "a", fieldManager: "stoker"));
        Assert.Equal(ResourceVersionOf(afterStatus), ResourceVersionOf(again));

        var objectPatch = """[{"op":"replace","path":"/spec/git/ref","value":"v2"},{"op":"add","path":"/status/lastSyncRef","value":"hacked"}]""";
        var afterObject = Json(await custom.PatchNamespacedCustomObjectAsync(new V1Patch(objectPatch, V1Patch.PatchType.JsonPatch), CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal("v2", afterObject["spec"]!["git"]!["ref"]!.GetValue<string>());
        Assert.Equal("main", afterObject["status"]!["lastSyncRef"]!.GetValue<string>());
        Assert.Equal(2, GenerationOf(afterObject));

        // Labels and annotations are metadata: no new generation.
        var annotate = """{"metadata":{"annotations":{"stoker.io/requested-sync":"1"}}}""";
        var annotated = Json(await custom.PatchNamespacedCustomObjectAsync(new V1Patch(annotate, V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal(2, GenerationOf(annotated));

        var statusWrites = fake.Server.Requests.Where(r => r.Verb == "patch" && r.Subresource == "status").ToList();
        Assert.Equal(2, statusWrites.Count);
        Assert.All(statusWrites, r => Assert.Equal("stoker", r.FieldManager));
        Assert.All(statusWrites, r => Assert.Equal("application/merge-patch+json", r.ContentType?.Split(';')[0]));
    }

    [Fact]
    public async Task Delete_with_a_finalizer_marks_the_object_and_removing_the_finalizer_deletes_it()
    {
        await using var fake = await StartAsync();
        var custom = fake.Client.CustomObjects;
        var body = GatewaySync("a");
        body["metadata"]!["finalizers"] = new JsonArray("stoker.io/finalizer");
        await custom.CreateNamespacedCustomObjectAsync(body, CrGroup, CrVersion, "default", CrPlural);

        var deleting = Json(await custom.DeleteNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Equal(2, GenerationOf(deleting));
        var stillThere = Json(await custom.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.NotNull(stillThere["metadata"]!["deletionTimestamp"]);

        var addFinalizer = """{"metadata":{"finalizers":["stoker.io/finalizer","other.io/late"]}}""";
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => custom.PatchNamespacedCustomObjectAsync(new V1Patch(addFinalizer, V1Patch.PatchType.MergePatch), CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);

        var removeFinalizer = """[{"op":"test","path":"/metadata/finalizers/0","value":"stoker.io/finalizer"},{"op":"remove","path":"/metadata/finalizers/0"}]""";
        await custom.PatchNamespacedCustomObjectAsync(new V1Patch(removeFinalizer, V1Patch.PatchType.JsonPatch), CrGroup, CrVersion, "default", CrPlural, "a");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => custom.GetNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "a"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);

        // Without finalizers a delete removes at once.
        await custom.CreateNamespacedCustomObjectAsync(GatewaySync("b"), CrGroup, CrVersion, "default", CrPlural);
        await custom.DeleteNamespacedCustomObjectAsync(CrGroup, CrVersion, "default", CrPlural, "b");
        Assert.Null(fake.Server.GetGatewaySync("default", "b"));
    }

    [Fact]
    public async Task Hostile_bodies_get_clear_errors_and_the_server_keeps_serving()
    {
        await using var fake = await StartAsync(new FakeKubeApi.FakeKubeApiOptions { MaxRequestBodyBytes = 64 * 1024 });
        using var http = new HttpClient { BaseAddress = fake.Server.Url };
        var collection = "/apis/stoker.io/v1alpha1/namespaces/default/gatewaysyncs";

        var deep = new string('[', 10_000) + new string(']', 10_000);
        using var deepResponse = await http.PostAsync(collection, new StringContent(deep, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, deepResponse.StatusCode);

        using var bigResponse = await http.PostAsync(collection, new StringContent("{\"a\":\"" + new string('x', 100_000) + "\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigResponse.StatusCode);

        using var badName = await http.PostAsync(collection, new StringContent("""{"metadata":{"name":"Not_Valid"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badName.StatusCode);
        Assert.Contains("metadata.name", await badName.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrongType = await http.PostAsync(collection, new StringContent("""{"metadata":{"name":7}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);

        using var badSelector = await http.GetAsync(collection + "?labelSelector=a%20in%20b");
        Assert.Equal(HttpStatusCode.BadRequest, badSelector.StatusCode);

        await fake.Client.CustomObjects.CreateNamespacedCustomObjectAsync(GatewaySync("fine"), CrGroup, CrVersion, "default", CrPlural);
        Assert.NotNull(fake.Server.GetGatewaySync("default", "fine"));
    }
}
