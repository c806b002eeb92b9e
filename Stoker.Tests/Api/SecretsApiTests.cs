using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Grains.Secrets;

namespace Stoker.Tests.Api;

/// <summary>
/// Local mode's core/v1 Secrets over real HTTP against a real silo: every verb, every patch type, dryRun, the
/// values on disk where the control plane reads them (0600, atomic, no leftovers), bounds and hostile keys.
/// </summary>
public sealed class SecretsApiTests(SecretsSiloFixture fixture) : IClassFixture<SecretsSiloFixture>
{
    private static string Collection(string ns) => $"/api/v1/namespaces/{ns}/secrets";

    private static string Item(string ns, string name) => $"/api/v1/namespaces/{ns}/secrets/{name}";

    [Fact]
    public async Task Create_DataAndStringData_StoredOneFilePerKey0600_ReadableByTheControlPlane_StringDataNeverReturned()
    {
        using var created = await SendAsync(HttpMethod.Post, Collection("s-create"), """
            apiVersion: v1
            kind: Secret
            metadata:
              name: git-token
              labels: {team: a}
            type: Opaque
            data:
              token: c2VjcmV0LXZhbHVl
            stringData:
              user: alice
            """);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ReadAsync(created);
        Assert.Null(body["stringData"]);
        Assert.Equal("YWxpY2U=", (string?)body["data"]!["user"]);
        Assert.Equal("c2VjcmV0LXZhbHVl", (string?)body["data"]!["token"]);
        Assert.Equal("a", (string?)body["metadata"]!["labels"]!["team"]);
        Assert.False(string.IsNullOrEmpty((string?)body["metadata"]!["uid"]));
        Assert.False(string.IsNullOrEmpty((string?)body["metadata"]!["resourceVersion"]));
        var folder = Path.Join(fixture.SecretsPath, "s-create", "git-token");
        Assert.Equal("secret-value", await File.ReadAllTextAsync(Path.Join(folder, "token")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(folder, "token")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }

        Assert.Equal(["token", "user"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([".git-token.meta.json", "git-token"], Directory.GetFileSystemEntries(Path.Join(fixture.SecretsPath, "s-create")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("secret-value", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, "s-create", ".git-token.meta.json")), StringComparison.Ordinal);
        Assert.Equal("secret-value", await new FileSecretStore(fixture.SecretsPath).ReadAsync("s-create", "git-token", "token", CancellationToken.None));
        Assert.DoesNotContain("secret-value", fixture.Silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVl", fixture.Silo.Output, StringComparison.Ordinal);

        using var again = await SendAsync(HttpMethod.Post, Collection("s-create"), "apiVersion: v1\nkind: Secret\nmetadata: {name: git-token}\n");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("secrets \"git-token\" already exists", (string?)(await ReadAsync(again))["message"]);
    }

    [Fact]
    public async Task GetListReplaceDelete_RoundTrip_KeysRemovedFromDiskAndTheFolderGone()
    {
        using var created = await SendAsync(HttpMethod.Put, Item("s-crud", "one"), "apiVersion: v1\nkind: Secret\nmetadata: {name: one}\nstringData: {a: '1', b: '2'}\n");
        using var get = await SendAsync(HttpMethod.Get, Item("s-crud", "one"));
        using var list = await SendAsync(HttpMethod.Get, Collection("s-crud"));
        using var all = await SendAsync(HttpMethod.Get, "/api/v1/secrets");
        using var replaced = await SendAsync(HttpMethod.Put, Item("s-crud", "one"), "apiVersion: v1\nkind: Secret\nmetadata: {name: one}\nstringData: {b: '3'}\n");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("MQ==", (string?)(await ReadAsync(get))["data"]!["a"]);
        var listed = await ReadAsync(list);
        Assert.Equal("SecretList", (string?)listed["kind"]);
        Assert.Equal(["one"], listed["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
        Assert.Contains((await ReadAsync(all))["items"]!.AsArray(), i => (string?)i!["metadata"]!["namespace"] == "s-crud");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(["b"], Directory.GetFiles(Path.Join(fixture.SecretsPath, "s-crud", "one")).Select(Path.GetFileName));

        using var deleted = await SendAsync(HttpMethod.Delete, Item("s-crud", "one"));
        using var gone = await SendAsync(HttpMethod.Get, Item("s-crud", "one"));
        using var deletedAgain = await SendAsync(HttpMethod.Delete, Item("s-crud", "one"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Success", (string?)(await ReadAsync(deleted))["status"]);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("secrets \"one\" not found", (string?)(await ReadAsync(gone))["message"]);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Join(fixture.SecretsPath, "s-crud")));
    }

    [Theory]
    [InlineData("application/merge-patch+json", """{"data":{"a":null},"stringData":{"c":"3"}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"$setElementOrder/x":[],"data":{"a":null},"stringData":{"c":"3"}}""")]
    [InlineData("application/json-patch+json", """[{"op":"remove","path":"/data/a"},{"op":"add","path":"/data/c","value":"Mw=="}]""")]
    public async Task Patch_EveryType_ChangesTheKeysOnDisk(string contentType, string patch)
    {
        var ns = "s-patch-" + contentType.Length;
        using var created = await SendAsync(HttpMethod.Post, Collection(ns), "apiVersion: v1\nkind: Secret\nmetadata: {name: p}\nstringData: {a: '1', b: '2'}\n");

        using var patched = await SendAsync(HttpMethod.Patch, Item(ns, "p") + "?fieldManager=patcher", patch, contentType);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var folder = Path.Join(fixture.SecretsPath, ns, "p");
        Assert.Equal(["b", "c"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("3", await File.ReadAllTextAsync(Path.Join(folder, "c")));
        Assert.Contains((await ReadAsync(patched))["metadata"]!["managedFields"]!.AsArray(), e => (string?)e!["manager"] == "patcher");
    }

    [Fact]
    public async Task StrategicMerge_UnsupportedDirective_400NamingIt()
    {
        using var created = await SendAsync(HttpMethod.Post, Collection("s-smp"), "apiVersion: v1\nkind: Secret\nmetadata: {name: p}\nstringData: {a: '1'}\n");

        using var patched = await SendAsync(HttpMethod.Patch, Item("s-smp", "p"), """{"$deleteFromPrimitiveList/finalizers":["x"]}""", "application/strategic-merge-patch+json");
        using var replace = await SendAsync(HttpMethod.Patch, Item("s-smp", "p"), """{"data":{"$patch":"replace","z":"eg=="}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.BadRequest, patched.StatusCode);
        Assert.Contains("$deleteFromPrimitiveList/finalizers", (string?)(await ReadAsync(patched))["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        Assert.Equal(["z"], Directory.GetFiles(Path.Join(fixture.SecretsPath, "s-smp", "p")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ServerSideApply_CreatesAndConflictsLikeAGatewaySync()
    {
        using var created = await SendAsync(HttpMethod.Patch, Item("s-ssa", "a") + "?fieldManager=alice", "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: one}\n", "application/apply-patch+yaml");
        using var conflict = await SendAsync(HttpMethod.Patch, Item("s-ssa", "a") + "?fieldManager=bob", "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: two}\n", "application/apply-patch+yaml");
        using var forced = await SendAsync(HttpMethod.Patch, Item("s-ssa", "a") + "?fieldManager=bob&force=true", "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData: {k: two}\n", "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alice\" using v1: .data.k", (string?)(await ReadAsync(conflict))["message"]);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal("two", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, "s-ssa", "a", "k")));
    }

    [Fact]
    public async Task DryRunAndStaleResourceVersion_NothingWritten()
    {
        using var dry = await SendAsync(HttpMethod.Post, Collection("s-dry") + "?dryRun=All", "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\nstringData: {k: v}\n");
        Assert.Equal(HttpStatusCode.Created, dry.StatusCode);
        Assert.False(Directory.Exists(Path.Join(fixture.SecretsPath, "s-dry", "d")));

        using var created = await SendAsync(HttpMethod.Post, Collection("s-dry"), "apiVersion: v1\nkind: Secret\nmetadata: {name: d}\nstringData: {k: v}\n");
        using var dryDelete = await SendAsync(HttpMethod.Delete, Item("s-dry", "d") + "?dryRun=All");
        using var stale = await SendAsync(HttpMethod.Put, Item("s-dry", "d"), "apiVersion: v1\nkind: Secret\nmetadata: {name: d, resourceVersion: '1'}\nstringData: {k: w}\n");

        Assert.Equal(HttpStatusCode.OK, dryDelete.StatusCode);
        Assert.True(Directory.Exists(Path.Join(fixture.SecretsPath, "s-dry", "d")));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("the object has been modified", (string?)(await ReadAsync(stale))["message"], StringComparison.Ordinal);
        Assert.Equal("v", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, "s-dry", "d", "k")));
    }

    [Theory]
    [InlineData("data: {'../escape': eA==}", "data[\"../escape\"]")]
    [InlineData("data: {'..': eA==}", "data[\"..\"]")]
    [InlineData("data: {'a/b': eA==}", "data[\"a/b\"]")]
    [InlineData("stringData: {'': x}", "stringData[\"\"]")]
    [InlineData("data: {k: '!!notbase64'}", "data.k")]
    [InlineData("data: {k: 1}", "data.k")]
    [InlineData("type: [x]", "type")]
    [InlineData("colour: blue", "colour")]
    public async Task HostileOrBadBodies_422NamingTheField_NothingWritten(string line, string field)
    {
        var ns = "s-bad-" + Math.Abs(StringComparer.Ordinal.GetHashCode(line) % 100000);
        using var response = await SendAsync(HttpMethod.Post, Collection(ns), $"apiVersion: v1\nkind: Secret\nmetadata: {{name: b}}\n{line}\n");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = await ReadAsync(response);
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == field);
        Assert.False(Directory.Exists(Path.Join(fixture.SecretsPath, ns)));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("UPPER")]
    [InlineData("a%2Fb")]
    public async Task HostileNamesInTheUrl_400(string name)
    {
        using var response = await SendAsync(HttpMethod.Get, Item("s-names", name));

        // ".." never reaches the Secrets routes: the client resolves it (.../secrets/.. is the namespace itself).
        var kind = response.IsSuccessStatusCode ? (string?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())?["kind"] : null;
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound || kind == "Namespace", $"{name}: {response.StatusCode} {kind}");
        Assert.False(Directory.Exists(Path.Join(fixture.SecretsPath, "s-names")));
    }

    [Fact]
    public async Task OverOneMebibyte_422_ExactlyOneMebibyteAccepted()
    {
        var max = Convert.ToBase64String(new byte[1024 * 1024]);
        var over = Convert.ToBase64String(new byte[(1024 * 1024) + 1]);

        using var accepted = await SendAsync(HttpMethod.Post, Collection("s-size"), SizedSecret("max", max), "application/json");
        using var refused = await SendAsync(HttpMethod.Post, Collection("s-size"), SizedSecret("over", over), "application/json");

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("must have at most 1048576 bytes", (string?)(await ReadAsync(refused))["message"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(fixture.SecretsPath, "s-size", "over")));
        Assert.Empty(Directory.GetFiles(Path.Join(fixture.SecretsPath, "s-size"), "*.tmp"));
    }

    [Fact]
    public async Task ManyKeysTypeChangeAndImmutable_422()
    {
        var many = new JsonObject();
        for (var i = 0; i <= 4096; i++)
        {
            many["k" + i] = "";
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "many" }, ["stringData"] = many };
        using var tooMany = await SendAsync(HttpMethod.Post, Collection("s-limits"), body.ToJsonString(), "application/json");
        using var created = await SendAsync(HttpMethod.Post, Collection("s-limits"), "apiVersion: v1\nkind: Secret\nmetadata: {name: fixed}\nimmutable: true\nstringData: {k: v}\n");
        using var retyped = await SendAsync(HttpMethod.Patch, Item("s-limits", "fixed"), """{"type":"kubernetes.io/basic-auth"}""", "application/merge-patch+json");
        using var changed = await SendAsync(HttpMethod.Patch, Item("s-limits", "fixed"), """{"stringData":{"k":"w"}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Contains("must have at most 4096 keys", (string?)(await ReadAsync(tooMany))["message"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Join(fixture.SecretsPath, "s-limits", "many")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, retyped.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("v", await File.ReadAllTextAsync(Path.Join(fixture.SecretsPath, "s-limits", "fixed", "k")));
    }

    [Fact]
    public async Task HandMadeSecretFolder_ServedWithAStableUid()
    {
        var folder = Path.Join(fixture.SecretsPath, "s-hand", "made");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Join(folder, "token"), "abc");

        using var first = await SendAsync(HttpMethod.Get, Item("s-hand", "made"));
        using var second = await SendAsync(HttpMethod.Get, Item("s-hand", "made"));

        var a = await ReadAsync(first);
        Assert.Equal("YWJj", (string?)a["data"]!["token"]);
        Assert.Equal((string?)a["metadata"]!["uid"], (string?)(await ReadAsync(second))["metadata"]!["uid"]);
    }

    [Fact]
    public async Task Unauthenticated_401()
    {
        using var response = await fixture.Silo.Anonymous.GetAsync(new Uri(Collection("s-anon"), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string SizedSecret(string name, string base64) =>
        new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["k"] = base64 } }.ToJsonString();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/yaml")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await fixture.Silo.Http.SendAsync(request);
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
