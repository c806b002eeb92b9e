using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>
/// The read side at the HTTP level, on a silo with its default authentication: discovery and OpenAPI need a token,
/// the documents say what kubectl relies on, Tables carry the printer columns' cells, selectors filter, and watches
/// stream events, end at their timeout and are bounded in number.
/// </summary>
public sealed class ReadApiHttpTests(ReadApiFixture fixture) : IClassFixture<ReadApiFixture>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private const string Alpha = "/apis/stoker.io/v1alpha1/namespaces/alpha/gatewaysyncs";

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/v1")]
    [InlineData("/apis")]
    [InlineData("/apis/stoker.io")]
    [InlineData("/apis/stoker.io/v1alpha1")]
    [InlineData("/version")]
    [InlineData("/openapi/v2")]
    [InlineData("/openapi/v3")]
    [InlineData("/openapi/v3/apis/stoker.io/v1alpha1")]
    public async Task Discovery_WithoutAToken_Is401(string path)
    {
        using var response = await fixture.Silo.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Status", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["kind"]);
    }

    [Fact]
    public async Task Discovery_NamesTheResourcesAndVerbsServed()
    {
        var api = await GetJsonAsync("/api");
        Assert.Equal("APIVersions", (string?)api["kind"]);
        Assert.Equal("v1", (string?)api["versions"]![0]);

        var groups = await GetJsonAsync("/apis");
        Assert.Equal("stoker.io/v1alpha1", (string?)groups["groups"]![0]!["preferredVersion"]!["groupVersion"]);
        Assert.Equal("APIGroup", (string?)(await GetJsonAsync("/apis/stoker.io"))["kind"]);

        var stoker = await GetJsonAsync("/apis/stoker.io/v1alpha1");
        Assert.Equal("APIResourceList", (string?)stoker["kind"]);
        var gs = stoker["resources"]!.AsArray().Single(r => (string?)r!["name"] == "gatewaysyncs")!;
        Assert.Equal("gatewaysync", (string?)gs["singularName"]);
        Assert.Equal("GatewaySync", (string?)gs["kind"]);
        Assert.True((bool)gs["namespaced"]!);
        Assert.Equal(["gs"], gs["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["create", "delete", "get", "list", "patch", "update", "watch"], gs["verbs"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));

        var core = await GetJsonAsync("/api/v1");
        var secrets = core["resources"]!.AsArray().Single(r => (string?)r!["name"] == "secrets")!;
        Assert.Equal(["create", "delete", "get", "list", "patch", "update"], secrets["verbs"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));
        var events = core["resources"]!.AsArray().Single(r => (string?)r!["name"] == "events")!;
        Assert.Equal(["get", "list", "watch"], events["verbs"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));

        var version = await GetJsonAsync("/version");
        Assert.Equal("1", (string?)version["major"]);
        Assert.Equal("33", (string?)version["minor"]);
        Assert.StartsWith("v1.33.0+stoker.", (string?)version["gitVersion"], StringComparison.Ordinal);
        Assert.Contains(".NET", (string?)version["goVersion"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespaces_EveryValidNameIsActive_TheListNamesThoseHoldingSomething()
    {
        var one = await GetJsonAsync("/api/v1/namespaces/nothing-here-yet");
        Assert.Equal(("Namespace", "nothing-here-yet", "Active"), ((string?)one["kind"], (string?)one["metadata"]!["name"], (string?)one["status"]!["phase"]));

        var list = await GetJsonAsync("/api/v1/namespaces");
        Assert.Equal("NamespaceList", (string?)list["kind"]);
        Assert.Superset(new HashSet<string> { "alpha", "beta", "default" }, list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToHashSet());

        using var bad = await fixture.Silo.Http.GetAsync(new Uri("/api/v1/namespaces/Not_A_Name", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task OpenApiV3_PatchOfGatewaySyncs_DeclaresFieldValidation()
    {
        var index = await GetJsonAsync("/openapi/v3");
        var url = (string)index["paths"]!["apis/stoker.io/v1alpha1"]!["serverRelativeURL"]!;
        Assert.Matches(@"^/openapi/v3/apis/stoker\.io/v1alpha1\?hash=[0-9A-F]+$", url);
        Assert.NotNull(index["paths"]!["api/v1"]);

        var document = await GetJsonAsync(url);
        var schema = document["components"]!["schemas"]!["io.stoker.v1alpha1.GatewaySync"]!;
        Assert.Equal("GatewaySync", (string?)schema["x-kubernetes-group-version-kind"]![0]!["kind"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", (string?)schema["properties"]!["metadata"]!["allOf"]![0]!["$ref"]);
        Assert.Equal("Repository URL (https, http, ssh, scp-style or git protocol).", (string?)schema["properties"]!["spec"]!["properties"]!["git"]!["properties"]!["repo"]!["description"]);
        var patch = document["paths"]!["/apis/stoker.io/v1alpha1/namespaces/{namespace}/gatewaysyncs/{name}"]!["patch"]!;
        Assert.Equal("GatewaySync", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        var parameters = patch["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ToList();
        Assert.Superset(new HashSet<string> { "dryRun", "fieldManager", "fieldValidation", "force" }, parameters.ToHashSet());

        // kubectl >= 1.27 sends a strategic merge patch wherever this list offers one: never for a custom resource.
        Assert.Equal(
            ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"],
            patch["requestBody"]!["content"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));

        var core = await GetJsonAsync((string)index["paths"]!["api/v1"]!["serverRelativeURL"]!);
        Assert.NotNull(core["components"]!["schemas"]!["io.k8s.api.core.v1.Secret"]);
        Assert.NotNull(core["components"]!["schemas"]!["io.k8s.api.core.v1.Event"]);
        var secretPatch = core["paths"]!["/api/v1/namespaces/{namespace}/secrets/{name}"]!["patch"]!;
        Assert.NotNull(secretPatch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);

        using var missing = await fixture.Silo.Http.GetAsync(new Uri("/openapi/v3/apis/nothing/v1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task OpenApiV2_AsProtobuf_DecodesToTheGnosticDocument_AndAsJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        using var response = await fixture.Silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", response.Content.Headers.ContentType?.MediaType);
        var document = Proto.Read(await response.Content.ReadAsByteArrayAsync());

        // Document: swagger = 1, info = 2 (title 1, version 2), definitions = 9 (NamedSchema 1: name 1, value 2).
        Assert.Equal("2.0", document.String(1));
        Assert.StartsWith("v1.33.0+stoker.", document.Message(2).String(2), StringComparison.Ordinal);
        var definitions = document.Message(9).Messages(1).ToDictionary(d => d.String(1), d => d.Message(2));
        Assert.Contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", definitions.Keys);
        var gatewaySync = definitions["io.stoker.v1alpha1.GatewaySync"];

        // Schema: description 4, type 22 (TypeItem value 1), properties 25 (NamedSchema 1), vendor_extension 31 (NamedAny: name 1, value 2 = Any: yaml 2).
        Assert.Equal("object", gatewaySync.Message(22).String(1));
        var gvk = gatewaySync.Messages(31).Single(e => e.String(1) == "x-kubernetes-group-version-kind");
        Assert.Contains("\"kind\":\"GatewaySync\"", gvk.Message(2).String(2), StringComparison.Ordinal);
        var properties = gatewaySync.Message(25).Messages(1).ToDictionary(p => p.String(1), p => p.Message(2));
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", properties["metadata"].String(1));
        var git = properties["spec"].Message(25).Messages(1).Single(p => p.String(1) == "git").Message(2);
        Assert.Equal("Git repository and revision that gateways are synced from.", git.String(4));
        Assert.Equal(["ref", "repo"], git.Strings(19).Order(StringComparer.Ordinal));

        // Paths = 8 (NamedPathItem 2: name 1, value 2 = PathItem; patch = 8 = Operation; parameters 8).
        var paths = document.Message(8).Messages(2).ToDictionary(p => p.String(1), p => p.Message(2));
        var patch = paths["/apis/stoker.io/v1alpha1/namespaces/{namespace}/gatewaysyncs/{name}"].Message(8);
        var names = patch.Messages(8).Select(p => p.Message(1)).Where(p => p.Has(2)).Select(p => p.Message(2).Message(3).String(4)).ToList();
        Assert.Contains("fieldValidation", names);
        Assert.Contains("dryRun", names);

        var json = await GetJsonAsync("/openapi/v2");
        Assert.Equal("2.0", (string?)json["swagger"]);
        Assert.Null(json["definitions"]!["io.stoker.v1alpha1.GatewaySync"]!["properties"]!["spec"]!["anyOf"]);
    }

    [Fact]
    public async Task Table_CellsFollowThePrinterColumns_AndIncludeObjectIsHonoured()
    {
        var table = await GetJsonAsync(Alpha, TableAccept);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.Matches("^[0-9]+$", (string?)table["metadata"]!["resourceVersion"]);
        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal(["Name", "Ref", "Gateways", "Ready", "Status", "Age", "Commit", "Profiles", "Last Sync"], columns.Select(c => (string)c!["name"]!));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1], columns.Select(c => (int)c!["priority"]!));
        Assert.Equal("name", (string?)columns[0]!["format"]);
        var rows = table["rows"]!.AsArray();
        Assert.Equal(["one", "two"], rows.Select(r => (string)r!["cells"]![0]!));
        var cells = rows[0]!["cells"]!.AsArray();
        Assert.Equal("main", (string?)cells[1]);
        Assert.Equal("0/0 synced", (string?)cells[2]);
        Assert.Contains((string?)cells[3], new[] { "True", "False", "Unknown" });
        Assert.Matches(@"^\d+[smhdy]", (string?)cells[5]);
        Assert.Matches("^[0-9a-f]{7}$", (string?)cells[6]);
        Assert.Equal(1, (long)cells[7]!);
        Assert.Equal("PartialObjectMetadata", (string?)rows[0]!["object"]!["kind"]);
        Assert.Equal("prod", (string?)rows[0]!["object"]!["metadata"]!["labels"]!["env"]);

        var whole = await GetJsonAsync(Alpha + "/one?includeObject=Object", TableAccept);
        Assert.Equal("GatewaySync", (string?)whole["rows"]![0]!["object"]!["kind"]);
        var none = await GetJsonAsync(Alpha + "?includeObject=None", TableAccept);
        Assert.Null(none["rows"]![0]!["object"]);
        var beta1 = await GetJsonAsync(Alpha, "application/json;as=Table;v=v1beta1;g=meta.k8s.io");
        Assert.Equal("meta.k8s.io/v1beta1", (string?)beta1["apiVersion"]);

        var plain = await GetJsonAsync(Alpha);
        Assert.Equal("GatewaySyncList", (string?)plain["kind"]);
        Assert.Equal(2, plain["items"]!.AsArray().Count);
        Assert.Matches("^[0-9]+$", (string?)plain["metadata"]!["resourceVersion"]);

        var (status, body) = await GetAsync(Alpha + "?includeObject=Everything", TableAccept);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("includeObject: Unsupported value: \"Everything\"", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("labelSelector=tier%3Dweb", "one three")]
    [InlineData("labelSelector=tier%21%3Dweb", "two")]
    [InlineData("labelSelector=tier%20in%20(web,db),env", "one two")]
    [InlineData("labelSelector=!env", "three")]
    [InlineData("labelSelector=tier%20notin%20(db)", "one three")]
    [InlineData("fieldSelector=metadata.namespace%3Dbeta", "three")]
    [InlineData("fieldSelector=metadata.name%3D%3Done&limit=500", "one")]
    public async Task List_Selectors_Filter(string query, string names)
    {
        var list = await GetJsonAsync("/apis/stoker.io/v1alpha1/gatewaysyncs?" + query);
        Assert.Equal(names, string.Join(" ", list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Where(n => n is "one" or "two" or "three").Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData("labelSelector=tier%20in%20web", "labelSelector")]
    [InlineData("labelSelector=%3Dweb", "not a valid label key")]
    [InlineData("fieldSelector=spec.paused%3Dtrue", "field label not supported: spec.paused")]
    [InlineData("watch=maybe", "watch: Invalid value: \"maybe\"")]
    [InlineData("timeoutSeconds=-1", "timeoutSeconds: Invalid value")]
    [InlineData("resourceVersion=abc", "resourceVersion: Invalid value: \"abc\"")]
    public async Task List_BadOptions_Are400_NamingTheParameter(string query, string message)
    {
        var (status, body) = await GetAsync(Alpha + "?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FromTheListsVersion_StreamsOnlyLaterChanges_AndEndsAtItsTimeout()
    {
        await fixture.ApplyAsync("w1", "http-watch", "app: w");
        var list = await GetJsonAsync("/apis/stoker.io/v1alpha1/namespaces/http-watch/gatewaysyncs");
        var version = (string)list["metadata"]!["resourceVersion"]!;

        using var watch = await OpenWatchAsync($"/apis/stoker.io/v1alpha1/namespaces/http-watch/gatewaysyncs?watch=1&resourceVersion={version}&timeoutSeconds=30");
        await fixture.ApplyAsync("w1", "http-watch", "app: changed");
        // The controller's status writes are MODIFIED events too: wait for the one carrying the new label.
        var modified = await watch.NextAsync(e => (string?)e["object"]!["metadata"]!["labels"]?["app"] == "changed");
        Assert.Equal("MODIFIED", (string?)modified["type"]);
        Assert.Equal("changed", (string?)modified["object"]!["metadata"]!["labels"]!["app"]);
        Assert.True(ulong.Parse((string)modified["object"]!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture) > ulong.Parse(version, System.Globalization.CultureInfo.InvariantCulture));

        await fixture.ApplyAsync("w2", "http-watch", "app: w");
        var added = await watch.NextAsync(e => (string?)e["object"]!["metadata"]!["name"] == "w2");
        Assert.Equal("ADDED", (string?)added["type"]);
        await fixture.DeleteAsync("w2", "http-watch");
        var deleted = await watch.NextAsync(e => (string?)e["type"] == "DELETED");
        Assert.Equal("w2", (string?)deleted["object"]!["metadata"]!["name"]);

        // Without a version: the current state as ADDED; one object by name; Tables when asked; the timeout ends it.
        using var named = await OpenWatchAsync("/apis/stoker.io/v1alpha1/namespaces/http-watch/gatewaysyncs?watch=true&fieldSelector=metadata.name%3Dw1&timeoutSeconds=2", TableAccept);
        var first = await named.NextAsync();
        Assert.Equal("ADDED", (string?)first["type"]);
        Assert.Equal("Table", (string?)first["object"]!["kind"]);
        Assert.Equal("w1", (string?)first["object"]!["rows"]![0]!["cells"]![0]);
        Assert.True(await named.EndsAsync(), "the watch did not end at timeoutSeconds");
    }

    [Fact]
    public async Task Watch_Bookmarks_WhenAllowed_AndTheLimitRefusesOneMore()
    {
        using var first = await OpenWatchAsync(Alpha + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=20");
        var bookmark = await first.NextAsync(e => (string?)e["type"] == "BOOKMARK");
        Assert.Matches("^[0-9]+$", (string?)bookmark["object"]!["metadata"]!["resourceVersion"]);

        using var second = await OpenWatchAsync(Alpha + "?watch=true&timeoutSeconds=20");
        var (status, body) = await GetAsync(Alpha + "?watch=true");
        Assert.Equal((HttpStatusCode)429, status);
        Assert.Contains("Stoker:Watch:MaxConcurrentWatches", body, StringComparison.Ordinal);
    }

    private async Task<JsonNode> GetJsonAsync(string path, string? accept = null)
    {
        var (status, body) = await GetAsync(path, accept);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        return JsonNode.Parse(body)!;
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await fixture.Silo.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Opens a watch; while the silo answers 429 (a previous test's watches not yet noticed as gone), tries again
    /// within a deadline: the slots free once the silo sees the disconnects.
    /// </summary>
    private async Task<WatchReader> OpenWatchAsync(string path, string? accept = null)
    {
        var refused = "";
        var reader = await Eventually.Until(
            async () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.TryAddWithoutValidation("Accept", accept ?? "application/json");
                var response = await fixture.Silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new WatchReader(request, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
                }

                // Read only when refused: the body of an open watch ends at its timeout.
                refused = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                response.Dispose();
                request.Dispose();
                return null;
            },
            r => r is not null || !refused.StartsWith("429", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "a watch slot");
        return reader ?? throw new Xunit.Sdk.XunitException($"watch {path}: {refused}");
    }

    /// <summary>Reads watch events line by line, each within a deadline.</summary>
    private sealed class WatchReader(HttpRequestMessage request, HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

        public async Task<JsonNode> NextAsync(Func<JsonNode, bool>? match = null)
        {
            using var timeout = new CancellationTokenSource(Deadline);
            while (true)
            {
                var line = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the watch ended before the expected event");
                var e = JsonNode.Parse(line)!;
                if (match is null || match(e))
                {
                    return e;
                }
            }
        }

        public async Task<bool> EndsAsync()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            while (await reader.ReadLineAsync(timeout.Token) is not null)
            {
            }

            return true;
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
            request.Dispose();
        }
    }

    /// <summary>A protobuf message read into its fields (field number → raw values), enough to walk the gnostic document.</summary>
    private sealed class Proto
    {
        private readonly List<(int Field, object Value)> _fields = [];

        public static Proto Read(byte[] bytes)
        {
            var proto = new Proto();
            var input = new CodedInputStream(bytes);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var field = WireFormat.GetTagFieldNumber(tag);
                switch (WireFormat.GetTagWireType(tag))
                {
                    case WireFormat.WireType.LengthDelimited:
                        proto._fields.Add((field, input.ReadBytes().ToByteArray()));
                        break;
                    case WireFormat.WireType.Varint:
                        proto._fields.Add((field, input.ReadUInt64()));
                        break;
                    case WireFormat.WireType.Fixed64:
                        proto._fields.Add((field, input.ReadDouble()));
                        break;
                    default:
                        throw new Xunit.Sdk.XunitException($"unexpected wire type in tag {tag}");
                }
            }

            return proto;
        }

        public bool Has(int field) => _fields.Any(f => f.Field == field);

        public string String(int field) => Strings(field).FirstOrDefault() ?? "";

        public IEnumerable<string> Strings(int field) =>
            _fields.Where(f => f.Field == field).Select(f => System.Text.Encoding.UTF8.GetString((byte[])f.Value));

        public Proto Message(int field) => Messages(field).FirstOrDefault() ?? throw new Xunit.Sdk.XunitException($"no field {field}");

        public IEnumerable<Proto> Messages(int field) => _fields.Where(f => f.Field == field).Select(f => Read((byte[])f.Value));
    }
}
