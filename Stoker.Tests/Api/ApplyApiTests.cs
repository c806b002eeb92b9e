using System.Net;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>The apply API over real HTTP against a real silo.</summary>
public sealed class ApplyApiTests(ApplyApiFixture fixture) : IClassFixture<ApplyApiFixture>
{
    private ApplyApiHost Api => fixture.Api;

    [Fact]
    public async Task Put_NewResourceAsYaml_Creates201AnsweredBeforeTheReconcileAndListsIt()
    {
        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("put-new", "gs"), Manifests.GatewaySync("gs", "put-new", fixture.Repo.Path));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var stored = await ReadResourceAsync(response);
        Assert.Equal("gs", stored.Metadata.Name);
        Assert.Equal("put-new", stored.Metadata.Namespace);
        Assert.Equal(1, stored.Metadata.Generation);
        Assert.NotNull(stored.Metadata.Uid);
        Assert.NotNull(stored.Metadata.CreationTimestamp);
        // The answer does not wait on git: the status is the stored one, which reflects no generation yet.
        Assert.Null(stored.Status?.ObservedGeneration);
        var reconciled = await fixture.ControlPlane.Client.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync("put-new", "gs")).WaitReconciled(1);
        Assert.Equal(fixture.Commit, reconciled.Status?.LastSyncCommit);
        Assert.Contains(reconciled.Status!.Conditions!, c => c.Type == ConditionTypes.RefResolved && c.Status == ConditionStatus.True);
        var keys = await fixture.ControlPlane.Client.GetGrain<IGatewaySyncRegistryGrain>(IGatewaySyncRegistryGrain.AllKey).List("put-new");
        Assert.Equal(["put-new/gs"], keys);
    }

    [Fact]
    public async Task Put_ExistingResourceWithNewSpec_Replaces200AndBumpsGeneration()
    {
        var path = ApplyApiHost.ItemPath("put-replace", "gs");
        using var created = await Api.SendAsync(HttpMethod.Put, path, Manifests.GatewaySync("gs", "put-replace", fixture.Repo.Path));
        var first = await ReadResourceAsync(created);

        using var replaced = await Api.SendAsync(HttpMethod.Put, path, Manifests.GatewaySync("gs", "put-replace", fixture.Repo.Path, destination: "other"));

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var second = await ReadResourceAsync(replaced);
        Assert.Equal(2, second.Metadata.Generation);
        Assert.Equal(first.Metadata.Uid, second.Metadata.Uid);
        Assert.Equal(first.Metadata.CreationTimestamp, second.Metadata.CreationTimestamp);
        Assert.Equal("other", second.Spec.Sync.Profiles["default"].Mappings[0].Destination);
    }

    [Fact]
    public async Task Put_ResourceReadBackWithItsStatus_AcceptedAsTheSameGeneration()
    {
        var path = ApplyApiHost.ItemPath("put-roundtrip", "gs");
        using var created = await Api.SendAsync(HttpMethod.Put, path, Manifests.GatewaySync("gs", "put-roundtrip", fixture.Repo.Path));

        // Read after the reconcile: the body carries the resourceVersion it was read at, and a status written between
        // the read and the PUT would make that version stale (409, docs/kubectl-writes.md).
        await fixture.ControlPlane.Client.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync("put-roundtrip", "gs")).WaitReconciled(1);
        using var read = await Api.SendAsync(HttpMethod.Get, path, accept: "application/yaml");
        var yaml = await read.Content.ReadAsStringAsync();
        Assert.Contains("status:", yaml, StringComparison.Ordinal);

        using var again = await Api.SendAsync(HttpMethod.Put, path, yaml);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await ReadResourceAsync(again)).Metadata.Generation);
    }

    [Fact]
    public async Task Post_Json_Creates201ThenSecondPostConflicts409()
    {
        var json = GatewaySyncSerializer.ToJson(GatewaySyncSerializer.Parse(Manifests.GatewaySync("gs", "post", fixture.Repo.Path)).Resource!);

        using var created = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("post"), json, "application/json");
        using var conflict = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("post"), json, "application/json");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("gs", (await ReadResourceAsync(created)).Metadata.Name);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var status = await ReadJsonAsync(conflict);
        AssertStatus(status, 409, "AlreadyExists", "gatewaysyncs.stoker.io \"gs\" already exists");
        Assert.Equal("gs", (string?)status["details"]!["name"]);
        Assert.Equal("gatewaysyncs", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Post_XYamlWithoutNamespaceButGenerateName_CreatesAGeneratedNameInTheUrlNamespace()
    {
        var yaml = Manifests.GatewaySync("ignored", "x", fixture.Repo.Path)
            .Replace("  name: ignored\n", "  generateName: site-\n", StringComparison.Ordinal)
            .Replace("  namespace: x\n", "", StringComparison.Ordinal);

        using var response = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("post-generate"), yaml, "application/x-yaml");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await ReadResourceAsync(response);
        Assert.Matches("^site-[a-z0-9]{5}$", stored.Metadata.Name);
        Assert.Equal("post-generate", stored.Metadata.Namespace);
    }

    [Fact]
    public async Task Get_Missing_NotFound404Status()
    {
        using var response = await Api.SendAsync(HttpMethod.Get, ApplyApiHost.ItemPath("get-missing", "nothing"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = await ReadJsonAsync(response);
        AssertStatus(status, 404, "NotFound", "gatewaysyncs.stoker.io \"nothing\" not found");
        Assert.Equal("nothing", (string?)status["details"]!["name"]);
        Assert.Equal("gatewaysyncs", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Get_AcceptYaml_AnswersTheResourceAsYaml()
    {
        var path = ApplyApiHost.ItemPath("get-yaml", "gs");
        using var created = await Api.SendAsync(HttpMethod.Put, path, Manifests.GatewaySync("gs", "get-yaml", fixture.Repo.Path));
        await fixture.ControlPlane.Client.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync("get-yaml", "gs")).WaitReconciled(1);

        using var response = await Api.SendAsync(HttpMethod.Get, path, accept: "application/yaml");

        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        var yaml = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("apiVersion: stoker.io/v1alpha1", yaml, StringComparison.Ordinal);
        var node = YamlJson.ReadOne(yaml);
        Assert.Equal(fixture.Commit, (string?)node["status"]!["lastSyncCommit"]);
    }

    [Fact]
    public async Task List_OneNamespaceAndAll_GatewaySyncListsWithTheirItems()
    {
        foreach (var (ns, name) in new[] { ("list-a", "one"), ("list-a", "two"), ("list-b", "three") })
        {
            using var r = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath(ns, name), Manifests.GatewaySync(name, ns, fixture.Repo.Path));
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }

        using var inA = await Api.SendAsync(HttpMethod.Get, ApplyApiHost.CollectionPath("list-a"));
        using var all = await Api.SendAsync(HttpMethod.Get, ApplyApiHost.AllPath);

        var listA = await ReadJsonAsync(inA);
        Assert.Equal("GatewaySyncList", (string?)listA["kind"]);
        Assert.Equal("stoker.io/v1alpha1", (string?)listA["apiVersion"]);
        Assert.Equal(["one", "two"], Names(listA));
        Assert.All(listA["items"]!.AsArray(), i => Assert.NotNull(i!["status"]!["conditions"]));
        var everything = Names(await ReadJsonAsync(all));
        Assert.Contains("three", everything);
        Assert.Contains("one", everything);
    }

    [Fact]
    public async Task Delete_Existing_200StatusThenGone()
    {
        var path = ApplyApiHost.ItemPath("delete", "gs");
        using var created = await Api.SendAsync(HttpMethod.Put, path, Manifests.GatewaySync("gs", "delete", fixture.Repo.Path));
        var uid = (await ReadResourceAsync(created)).Metadata.Uid;

        using var deleted = await Api.SendAsync(HttpMethod.Delete, path);
        using var get = await Api.SendAsync(HttpMethod.Get, path);
        using var list = await Api.SendAsync(HttpMethod.Get, ApplyApiHost.CollectionPath("delete"));
        using var again = await Api.SendAsync(HttpMethod.Delete, path);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var status = await ReadJsonAsync(deleted);
        Assert.Equal("Success", (string?)status["status"]);
        Assert.Equal(uid, (string?)status["details"]!["uid"]);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Empty(Names(await ReadJsonAsync(list)));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Put_InvalidResource_422WithEveryViolationAsACause()
    {
        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("invalid", "bad"), Manifests.Invalid("bad", "invalid"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = await ReadJsonAsync(response);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal(422, (int?)status["code"]);
        Assert.StartsWith("GatewaySync.stoker.io \"bad\" is invalid: [", (string?)status["message"], StringComparison.Ordinal);
        var causes = status["details"]!["causes"]!.AsArray().Select(c => ((string?)c!["field"], (string?)c["reason"], (string?)c["message"])).ToList();
        Assert.Contains(("spec.git.repo", "FieldValueRequired", "Required value"), causes);
        Assert.Contains(("spec.sync.defaults.syncPeriod", "FieldValueInvalid", "Invalid value: 4: must be greater than or equal to 5"), causes);
        Assert.Contains(causes, c => c.Item1 == "spec.colour" && c.Item2 == "FieldValueForbidden" && c.Item3!.Contains("unknown field \"colour\"", StringComparison.Ordinal));
        Assert.Contains(causes, c => c.Item1 == "spec.sync.profiles.default.mappings[0].destination" && c.Item2 == "FieldValueInvalid"
            && c.Item3!.StartsWith("Invalid value: \"../etc\": ", StringComparison.Ordinal));
        Assert.Equal(4, causes.Count);

        using var get = await Api.SendAsync(HttpMethod.Get, ApplyApiHost.ItemPath("invalid", "bad"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Put_BodyNameDiffersFromUrl_400NamingBoth()
    {
        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("mismatch", "url-name"), Manifests.GatewaySync("body-name", "mismatch", fixture.Repo.Path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await ReadJsonAsync(response);
        AssertStatus(status, 400, "BadRequest", "metadata.name \"body-name\" in the body does not match the name \"url-name\" in the URL");
    }

    [Fact]
    public async Task Post_BodyNamespaceDiffersFromUrl_400NamingBoth()
    {
        using var response = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("url-ns"), Manifests.GatewaySync("gs", "body-ns", fixture.Repo.Path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertStatus(await ReadJsonAsync(response), 400, "BadRequest", "metadata.namespace \"body-ns\" in the body does not match the namespace \"url-ns\" in the URL");
    }

    [Fact]
    public async Task Put_MalformedYaml_400WithTheLine()
    {
        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("malformed", "gs"), "metadata:\n  name: [unclosed\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (string?)(await ReadJsonAsync(response))["message"];
        Assert.StartsWith("the request body is not valid YAML or JSON: line ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_TwoDocuments_400AskingForOne()
    {
        var body = Manifests.GatewaySync("gs", "two-docs", fixture.Repo.Path) + "\n---\n" + Manifests.GatewaySync("gs2", "two-docs", fixture.Repo.Path);

        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("two-docs", "gs"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("holds 2 documents", (string?)(await ReadJsonAsync(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_FormContentType_415NamingTheAcceptedTypes()
    {
        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("form", "gs"), "a=b", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/yaml", (string?)(await ReadJsonAsync(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_InvalidNameInUrl_400WithTheRule()
    {
        using var response = await Api.SendAsync(HttpMethod.Get, ApplyApiHost.ItemPath("ns", "Bad_Name"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name \"Bad_Name\" in the URL: must be a lowercase RFC 1123 subdomain", (string?)(await ReadJsonAsync(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_InvalidResourceNeverStored_ErrorsAreYamlWhenAskedFor()
    {
        using var response = await Api.SendAsync(HttpMethod.Delete, ApplyApiHost.ItemPath("yaml-errors", "absent"), accept: "application/yaml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        var node = YamlJson.ReadOne(await response.Content.ReadAsStringAsync());
        Assert.Equal("NotFound", (string?)node["reason"]);
        Assert.Equal(404L, (long?)node["code"]);
    }

    internal static void AssertStatus(JsonNode status, int code, string reason, string message)
    {
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal(code, (int?)status["code"]);
        Assert.Equal(reason, (string?)status["reason"]);
        Assert.Equal(message, (string?)status["message"]);
    }

    internal static async Task<GatewaySync> ReadResourceAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<GatewaySync>(text, ResourceJson.Options)!;
    }

    internal static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static List<string?> Names(JsonNode list) => list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();
}
