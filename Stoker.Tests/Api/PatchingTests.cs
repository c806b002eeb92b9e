using System.Net;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.ControlPlane;

namespace Stoker.Tests.Api;

/// <summary>
/// The write side of the apply API over real HTTP against a real silo: PATCH in every format the API server takes
/// for a custom resource, server-side apply with field managers, dryRun, fieldValidation and optimistic concurrency.
/// </summary>
public sealed class PatchingTests(ApplyApiFixture fixture) : IClassFixture<ApplyApiFixture>
{
    private const string Merge = "application/merge-patch+json";
    private const string Json = "application/json-patch+json";
    private const string Apply = "application/apply-patch+yaml";

    private const int JsonPatchLimit = Stoker.Silo.Api.Patching.JsonPatchDocument.MaxOperations;

    private ApplyApiHost Api => fixture.Api;

    [Fact]
    public async Task MergePatch_ChangesTheRef_NewGenerationAndTheManagerRecordedAsUpdate()
    {
        var path = await CreateAsync("merge", "gs");

        using var patched = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=patcher", """{"spec":{"git":{"ref":"v2"}},"metadata":{"labels":{"team":"a"}}}""", Merge);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await ReadAsync(patched);
        Assert.Equal("v2", (string?)body["spec"]!["git"]!["ref"]);
        Assert.Equal("a", (string?)body["metadata"]!["labels"]!["team"]);
        Assert.Equal(2, (long?)body["metadata"]!["generation"]);
        var patcher = Entry(body, "patcher", "Update");
        Assert.Equal("stoker.io/v1alpha1", (string?)patcher["apiVersion"]);
        Assert.Equal("FieldsV1", (string?)patcher["fieldsType"]);
        Assert.NotNull(patcher["fieldsV1"]!["f:spec"]!["f:git"]!["f:ref"]);
        Assert.NotNull(patcher["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:team"]);
        // The creator no longer owns the ref it set: the patch took it.
        Assert.Null(Entry(body, "creator", "Update")["fieldsV1"]!["f:spec"]!["f:git"]!["f:ref"]);
    }

    [Fact]
    public async Task MergePatch_NullRemovesAndTheLastAppliedAnnotationIsKeptLikeAnyOther()
    {
        var path = await CreateAsync("merge-null", "gs");
        using var annotated = await Api.SendAsync(HttpMethod.Patch, path, """{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"x\":1}","a":"b"}}}""", Merge);
        Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);

        using var removed = await Api.SendAsync(HttpMethod.Patch, path, """{"metadata":{"annotations":{"a":null}}}""", Merge);

        var body = await ReadAsync(removed);
        var annotations = body["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("{\"x\":1}", (string?)annotations["kubectl.kubernetes.io/last-applied-configuration"]);
        Assert.False(annotations.ContainsKey("a"));
        Assert.Equal(1, (long?)body["metadata"]!["generation"]);
    }

    [Fact]
    public async Task JsonPatch_ReplaceAndTest_AppliedInOrder_AFailedTestIs422AndStoresNothing()
    {
        var path = await CreateAsync("json", "gs");

        using var ok = await Api.SendAsync(HttpMethod.Patch, path,
            """[{"op":"test","path":"/spec/git/ref","value":"main"},{"op":"replace","path":"/spec/git/ref","value":"v3"},{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]""", Json);
        using var failed = await Api.SendAsync(HttpMethod.Patch, path, """[{"op":"test","path":"/spec/git/ref","value":"main"},{"op":"replace","path":"/spec/git/ref","value":"v4"}]""", Json);
        using var missing = await Api.SendAsync(HttpMethod.Patch, path, """[{"op":"remove","path":"/spec/nothing"}]""", Json);
        using var notArray = await Api.SendAsync(HttpMethod.Patch, path, """{"op":"remove"}""", Json);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("v3", (string?)(await ReadAsync(ok))["spec"]!["git"]!["ref"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        Assert.Contains("test failed", (string?)(await ReadAsync(failed))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Contains("\"/spec/nothing\" does not exist", (string?)(await ReadAsync(missing))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);
        using var read = await Api.SendAsync(HttpMethod.Get, path);
        Assert.Equal("v3", (string?)(await ReadAsync(read))["spec"]!["git"]!["ref"]);
    }

    [Fact]
    public async Task JsonPatch_MakingTheObjectInvalid_Is422WithTheField()
    {
        var path = await CreateAsync("json-invalid", "gs");

        using var response = await Api.SendAsync(HttpMethod.Patch, path, """[{"op":"remove","path":"/spec/git/repo"}]""", Json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("spec.git.repo", (string?)(await ReadAsync(response))["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/strategic-merge-patch+json")]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Patch_StrategicMergeOrAnyOtherType_415NamingTheAcceptedTypes(string contentType)
    {
        var path = await CreateAsync("patch-415", "gs-" + contentType.Length);

        using var response = await Api.SendAsync(HttpMethod.Patch, path, """{"spec":{}}""", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var status = await ReadAsync(response);
        Assert.Equal("UnsupportedMediaType", (string?)status["reason"]);
        Assert.Contains("application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_Absent_404()
    {
        using var response = await Api.SendAsync(HttpMethod.Patch, ApplyApiHost.ItemPath("patch-absent", "nope"), """{"spec":{}}""", Merge);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ServerSideApply_CreatesThenConflictsWithAnotherManager_ForceTakesOwnership()
    {
        var path = ApplyApiHost.ItemPath("ssa", "gs");
        var manifest = Manifests.GatewaySync("gs", "ssa", fixture.Repo.Path, extra: "");

        using var created = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=alice", manifest, Apply);
        using var same = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=bob", Partial("ssa", "main"), Apply);
        using var conflict = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=bob", Partial("ssa", "v9"), Apply);
        using var forced = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=bob&force=true", Partial("ssa", "v9"), Apply);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(Entry(await ReadAsync(created), "alice", "Apply")["fieldsV1"]!["f:spec"]!["f:git"]!["f:ref"]);
        // The same value is no conflict: both own the field.
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var status = await ReadAsync(conflict);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alice\" using stoker.io/v1alpha1: .spec.git.ref", (string?)status["message"]);
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", (string?)cause["reason"]);
        Assert.Equal(".spec.git.ref", (string?)cause["field"]);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var after = await ReadAsync(forced);
        Assert.Equal("v9", (string?)after["spec"]!["git"]!["ref"]);
        Assert.Null(Entry(after, "alice", "Apply")["fieldsV1"]!["f:spec"]!["f:git"]!["f:ref"]);
        Assert.NotNull(Entry(after, "bob", "Apply")["fieldsV1"]!["f:spec"]!["f:git"]!["f:ref"]);
    }

    [Fact]
    public async Task ServerSideApply_AFieldTheManagerNoLongerApplies_IsRemovedUnlessAnotherOwnsIt()
    {
        var path = ApplyApiHost.ItemPath("ssa-remove", "gs");
        var withLabels = Manifests.GatewaySync("gs", "ssa-remove", fixture.Repo.Path).Replace("  namespace: ssa-remove\n", "  namespace: ssa-remove\n  labels:\n    a: \"1\"\n    b: \"2\"\n", StringComparison.Ordinal);
        using var first = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=alice", withLabels, Apply);
        using var other = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=carol", """{"metadata":{"labels":{"b":"3"}}}""", Merge);

        using var second = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=alice", Manifests.GatewaySync("gs", "ssa-remove", fixture.Repo.Path), Apply);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var final = await ReadAsync(second);
        var labels = final["metadata"]!["labels"]!.AsObject();
        Assert.True(!labels.ContainsKey("a"), final.ToJsonString());
        Assert.False(labels.ContainsKey("a"));
        // carol's update took b from alice, so alice's leaving it out does not remove it.
        Assert.Equal("3", (string?)labels["b"]);
    }

    [Fact]
    public async Task ServerSideApply_WithoutFieldManagerOrWithForceOnAMergePatch_400()
    {
        var path = await CreateAsync("ssa-400", "gs");

        using var noManager = await Api.SendAsync(HttpMethod.Patch, path, Partial("ssa-400", "x"), Apply);
        using var forceMerge = await Api.SendAsync(HttpMethod.Patch, path + "?force=true", """{"spec":{}}""", Merge);
        using var wrongKind = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=m", "apiVersion: v1\nkind: Secret\n", Apply);

        Assert.Equal(HttpStatusCode.BadRequest, noManager.StatusCode);
        Assert.Contains("fieldManager: Required value: is required for apply patch", (string?)(await ReadAsync(noManager))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forceMerge.StatusCode);
        Assert.Contains("force: Forbidden", (string?)(await ReadAsync(forceMerge))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
    }

    [Fact]
    public async Task DryRun_OnEveryVerb_AnswersTheWouldBeResultAndStoresNothing()
    {
        var collection = ApplyApiHost.CollectionPath("dry");
        var path = ApplyApiHost.ItemPath("dry", "gs");

        using var created = await Api.SendAsync(HttpMethod.Post, collection + "?dryRun=All", Manifests.GatewaySync("gs", "dry", fixture.Repo.Path));
        using var absent = await Api.SendAsync(HttpMethod.Get, path);
        using var applied = await Api.SendAsync(HttpMethod.Patch, path + "?dryRun=All&fieldManager=m", Manifests.GatewaySync("gs", "dry", fixture.Repo.Path), Apply);
        using var absentAgain = await Api.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ReadAsync(created);
        Assert.Equal(1, (long?)body["metadata"]!["generation"]);
        Assert.NotNull((string?)body["metadata"]!["uid"]);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, absentAgain.StatusCode);

        await CreateAsync("dry", "gs");
        using var patched = await Api.SendAsync(HttpMethod.Patch, path + "?dryRun=All", """{"spec":{"git":{"ref":"dry"}}}""", Merge);
        using var replaced = await Api.SendAsync(HttpMethod.Put, path + "?dryRun=All", Manifests.GatewaySync("gs", "dry", fixture.Repo.Path, @ref: "dry2"));
        using var deleted = await Api.SendAsync(HttpMethod.Delete, path + "?dryRun=All");
        using var read = await Api.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("dry", (string?)(await ReadAsync(patched))["spec"]!["git"]!["ref"]);
        Assert.Equal(2, (long?)(await ReadAsync(replaced))["metadata"]!["generation"]);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var stored = await ReadAsync(read);
        Assert.Equal("main", (string?)stored["spec"]!["git"]!["ref"]);
        Assert.Equal(1, (long?)stored["metadata"]!["generation"]);
    }

    [Fact]
    public async Task DryRun_UnknownValue_400NamingTheSupportedOne()
    {
        using var response = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("dry-bad") + "?dryRun=Yes", Manifests.GatewaySync("gs", "dry-bad", fixture.Repo.Path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dryRun: Unsupported value: \"Yes\": supported values: \"All\"", (string?)(await ReadAsync(response))["message"]);
    }

    [Fact]
    public async Task FieldValidation_StrictRefuses_WarnDropsWithAWarningHeader_IgnoreDropsSilently()
    {
        var extra = "  foo: bar";
        var strictManifest = Manifests.GatewaySync("gs", "fv", fixture.Repo.Path).Replace("spec:\n", "spec:\n" + extra + "\n", StringComparison.Ordinal);

        using var strict = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("fv") + "?fieldValidation=Strict", strictManifest);
        using var warn = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("fv") + "?fieldValidation=Warn", strictManifest);
        using var ignore = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("fv", "gs") + "?fieldValidation=Ignore", strictManifest);
        using var bad = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("fv", "gs") + "?fieldValidation=Loose", strictManifest);

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal("strict decoding error: unknown field \"spec.foo\"", (string?)(await ReadAsync(strict))["message"]);
        Assert.Equal(HttpStatusCode.Created, warn.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.foo\\\"\""], warn.Headers.GetValues("Warning"));
        Assert.Null((await ReadAsync(warn))["spec"]!["foo"]);
        Assert.Equal(HttpStatusCode.OK, ignore.StatusCode);
        Assert.False(ignore.Headers.Contains("Warning"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task StaleResourceVersion_PutAndPatch409_CurrentOneAccepted()
    {
        var path = await CreateAsync("rv", "gs");
        using var read = await Api.SendAsync(HttpMethod.Get, path);
        var current = (string)(await ReadAsync(read))["metadata"]!["resourceVersion"]!;
        var manifest = Manifests.GatewaySync("gs", "rv", fixture.Repo.Path, @ref: "v2");

        using var stalePut = await Api.SendAsync(HttpMethod.Put, path, manifest.Replace("  namespace: rv\n", "  namespace: rv\n  resourceVersion: \"1\"\n", StringComparison.Ordinal));
        using var stalePatch = await Api.SendAsync(HttpMethod.Patch, path, """{"metadata":{"resourceVersion":"1"},"spec":{"git":{"ref":"v3"}}}""", Merge);
        using var fresh = await Api.SendAsync(HttpMethod.Patch, path, "{\"metadata\":{\"resourceVersion\":\"" + current + "\"},\"spec\":{\"git\":{\"ref\":\"v4\"}}}", Merge);

        Assert.Equal(HttpStatusCode.Conflict, stalePut.StatusCode);
        var status = await ReadAsync(stalePut);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Operation cannot be fulfilled on gatewaysyncs.stoker.io \"gs\": the object has been modified; please apply your changes to the latest version and try again", (string?)status["message"]);
        Assert.Equal(HttpStatusCode.Conflict, stalePatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("v4", (string?)(await ReadAsync(fresh))["spec"]!["git"]!["ref"]);
    }

    [Fact]
    public async Task Put_ManagedFieldsSentBack_AreKeptAndAnEmptyListClearsThem()
    {
        var path = await CreateAsync("mf", "gs");
        using var read = await Api.SendAsync(HttpMethod.Get, path, accept: "application/yaml");
        var yaml = await read.Content.ReadAsStringAsync();
        Assert.Contains("managedFields:", yaml, StringComparison.Ordinal);
        Assert.Contains("manager: creator", yaml, StringComparison.Ordinal);
        var withoutVersion = string.Join('\n', yaml.Split('\n').Where(l => !l.TrimStart().StartsWith("resourceVersion:", StringComparison.Ordinal)));

        using var again = await Api.SendAsync(HttpMethod.Put, path + "?fieldManager=editor", withoutVersion);
        using var cleared = await Api.SendAsync(HttpMethod.Patch, path, """{"metadata":{"managedFields":[]}}""", Merge);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("creator", (string?)(await ReadAsync(again))["metadata"]!["managedFields"]![0]!["manager"]);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [Fact]
    public async Task HostilePatches_BoundedAndRefusedWithAClearStatus()
    {
        var path = await CreateAsync("hostile", "gs");
        var manyOperations = "[" + string.Join(",", Enumerable.Repeat("""{"op":"test","path":"/kind","value":"GatewaySync"}""", JsonPatchLimit + 1)) + "]";
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);

        using var tooMany = await Api.SendAsync(HttpMethod.Patch, path, manyOperations, Json);
        using var tooDeep = await Api.SendAsync(HttpMethod.Patch, path, deep, Merge);
        using var longManager = await Api.SendAsync(HttpMethod.Patch, path + "?fieldManager=" + new string('m', 129), """{"spec":{}}""", Merge);
        using var badPointer = await Api.SendAsync(HttpMethod.Patch, path, """[{"op":"add","path":"spec/x","value":1}]""", Json);
        using var moveIntoChild = await Api.SendAsync(HttpMethod.Patch, path, """[{"op":"move","from":"/spec","path":"/spec/git/x"}]""", Json);

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("more than 10000", (string?)(await ReadAsync(tooMany))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longManager.StatusCode);
        Assert.Contains("fieldManager: Invalid value", (string?)(await ReadAsync(longManager))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badPointer.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moveIntoChild.StatusCode);
        using var read = await Api.SendAsync(HttpMethod.Get, path);
        Assert.Equal(1, (long?)(await ReadAsync(read))["metadata"]!["generation"]);
    }

    [Fact]
    public async Task DefaultFieldManager_IsTheUserAgentUpToItsFirstSlash()
    {
        var path = await CreateAsync("agent", "gs");
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent("""{"metadata":{"labels":{"x":"y"}}}""") };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(Merge);
        request.Headers.UserAgent.ParseAdd("my-tool/1.2.3");

        using var response = await Api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(Entry(await ReadAsync(response), "my-tool", "Update")["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:x"]);
    }

    private async Task<string> CreateAsync(string ns, string name)
    {
        using var created = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath(ns) + "?fieldManager=creator", Manifests.GatewaySync(name, ns, fixture.Repo.Path));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ApplyApiHost.ItemPath(ns, name);
    }

    private static string Partial(string ns, string @ref) => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: gs
          namespace: {ns}
        spec:
          git:
            ref: "{@ref}"
        """;

    private static JsonObject Entry(JsonNode resource, string manager, string operation) =>
        resource["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == manager && (string?)e["operation"] == operation)!.AsObject();

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
