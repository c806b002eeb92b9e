using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.Admission;
using Stoker.Tests.Resources;

namespace Stoker.Tests.Kubernetes.Acceptance;

/// <summary>
/// The GatewaySync schema (docs/resource-reference.md), against the CRD the manifests install. No API server runs here,
/// so what the API server would do with the CRD is checked on the document: the constraints it enforces are in the
/// schema, and each refused resource is also refused by the validating webhook (every fault below is one of
/// <see cref="BadInputTests.Cases"/>, which <see cref="GatewaySyncValidationTests"/> sends through the webhook).
/// </summary>
public sealed class SchemaAcceptanceTests
{
    private readonly ManifestObject _crd = ManifestSet.ControlPlane().OfKind("CustomResourceDefinition").Single();

    private JsonObject Version => (JsonObject)((JsonArray)_crd.Node["spec"]!["versions"]!).Single()!;

    private JsonObject Schema => (JsonObject)Version["schema"]!["openAPIV3Schema"]!;

    /// <summary>A CRD the API server establishes: v1, namespaced, one served storage version, a structural schema.</summary>
    [Fact]
    public void Crd_IsOneTheApiServerEstablishes()
    {
        Assert.Equal("apiextensions.k8s.io/v1", _crd.ApiVersion);
        Assert.Equal("gatewaysyncs.stoker.io", _crd.Name);
        var spec = _crd.Node["spec"]!;
        Assert.Equal("stoker.io", ManifestObject.Str(spec["group"]));
        Assert.Equal("Namespaced", ManifestObject.Str(spec["scope"]));
        Assert.Equal("gatewaysyncs", ManifestObject.Str(spec["names"]!["plural"]));
        Assert.Equal("GatewaySync", ManifestObject.Str(spec["names"]!["kind"]));
        Assert.Contains("gs", ((JsonArray)spec["names"]!["shortNames"]!).Select(n => ManifestObject.Str(n)));
        Assert.Equal("v1alpha1", ManifestObject.Str(Version["name"]));
        Assert.True(Version["served"]!.GetValue<bool>() && Version["storage"]!.GetValue<bool>());
        Assert.NotNull(Version["subresources"]?["status"]);

        // Structural (what apiextensions/v1 requires to establish): every node has a type, or says it may be anything.
        var untyped = new List<string>();
        Walk(Schema, "", (node, path) =>
        {
            if (node["type"] is null && node["x-kubernetes-int-or-string"] is null && node["x-kubernetes-preserve-unknown-fields"] is null)
            {
                untyped.Add(path.Length == 0 ? "(root)" : path);
            }
        });
        Assert.True(untyped.Count == 0, "nodes without a type: " + string.Join(", ", untyped));
    }

    /// <summary>spec.git is required.</summary>
    [Fact]
    public void WithoutSpecGit_Refused()
    {
        Assert.Contains("git", ((JsonArray)Node(".spec")["required"]!).Select(n => ManifestObject.Str(n)));
        AssertWebhookRefuses("missing spec.git", "spec.git");
    }

    // Each resource the schema refuses, the schema node and keyword that refuse it, and the fault of the bad-input
    // table (and so of the validating webhook's tests) that is that resource.
    public static TheoryData<string, string, string, string> A3Cases() => new()
    {
        { "empty profiles", ".spec.sync.profiles", "minProperties", "1" },
        { "empty mappings", ".spec.sync.profiles.*.mappings", "minItems", "1" },
        { "empty mapping source", ".spec.sync.profiles.*.mappings[].source", "minLength", "1" },
        { "empty mapping source", ".spec.sync.profiles.*.mappings[].destination", "minLength", "1" },
        { "mapping type link", ".spec.sync.profiles.*.mappings[].type", "enum", """["dir","file"]""" },
        { "defaults designerSessionPolicy sometimes", ".spec.sync.defaults.designerSessionPolicy", "enum", """["proceed","wait","fail"]""" },
        { "profile designerSessionPolicy sometimes", ".spec.sync.profiles.*.designerSessionPolicy", "enum", """["proceed","wait","fail"]""" },
        { "defaults syncPeriod 4", ".spec.sync.defaults.syncPeriod", "minimum", "5" },
        { "defaults syncPeriod 3601", ".spec.sync.defaults.syncPeriod", "maximum", "3600" },
        { "profile syncPeriod 4", ".spec.sync.profiles.*.syncPeriod", "minimum", "5" },
        { "profile syncPeriod 3601", ".spec.sync.profiles.*.syncPeriod", "maximum", "3600" },
        { "empty patch set", ".spec.sync.profiles.*.mappings[].patches[].set", "minProperties", "1" },
        { "empty api.secretName", ".spec.gateway.api.secretName", "minLength", "1" },
        { "empty git.repo", ".spec.git.repo", "minLength", "1" },
    };

    [Theory]
    [MemberData(nameof(A3Cases))]
    public void SchemaCarriesTheConstraint_AndTheWebhookRefusesTheResource(string fault, string path, string keyword, string value)
    {
        var node = Node(path);
        Assert.True(node[keyword] is not null && node[keyword]!.ToJsonString() == value, $"{path}: {keyword} is {node[keyword]?.ToJsonString() ?? "absent"}, expected {value}");
        AssertWebhookRefuses(fault, BadInputTests.Cases[fault].Field);
    }

    /// <summary>The stored object gets gateway.port 8088, gateway.tls false, gateway.api.secretKey apiKey; the silo reads the same defaults.</summary>
    [Fact]
    public void Defaults_AreInTheSchema_AndTheSilosReaderAgrees()
    {
        Assert.Equal("8088", Node(".spec.gateway.port")["default"]!.ToJsonString());
        Assert.Equal("false", Node(".spec.gateway.tls")["default"]!.ToJsonString());
        Assert.Equal("\"apiKey\"", Node(".spec.gateway.api.secretKey")["default"]!.ToJsonString());

        var parsed = GatewaySyncSerializer.Parse("""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata: {name: site, namespace: ns}
            spec:
              git: {repo: "https://git.example.com/r.git", ref: main}
              gateway: {api: {secretName: s}}
              sync: {profiles: {p: {mappings: [{source: a, destination: b}]}}}
            """);
        Assert.True(parsed.IsValid, parsed.Describe());
        Assert.Equal(8088, parsed.Resource.Spec.Gateway.Port);
        Assert.False(parsed.Resource.Spec.Gateway.Tls);
        Assert.Equal("apiKey", parsed.Resource.Spec.Gateway.Api.SecretKey);
    }

    /// <summary>
    /// The printer columns (docs/resource-reference.md): Ref, Gateways, Ready, Status, Age; <c>-o wide</c> adds Commit, Profiles,
    /// Last Sync. kubectl shows them from the fake API server in FakeApiKubectlTests and KubectlModeTests.
    /// </summary>
    [Fact]
    public void PrinterColumns_AreTheOriginals()
    {
        var expected = new[]
        {
            ("Ref", "string", ".status.lastSyncRef", 0),
            ("Gateways", "string", """.status.conditions[?(@.type=="AllGatewaysSynced")].message""", 0),
            ("Ready", "string", """.status.conditions[?(@.type=="Ready")].status""", 0),
            ("Status", "string", """.status.conditions[?(@.type=="Ready")].message""", 0),
            ("Age", "date", ".metadata.creationTimestamp", 0),
            ("Commit", "string", ".status.lastSyncCommitShort", 1),
            ("Profiles", "integer", ".status.profileCount", 1),
            ("Last Sync", "date", ".status.lastSyncTime", 1),
        };
        var columns = ((JsonArray)Version["additionalPrinterColumns"]!).Cast<JsonObject>()
            .Select(c => (ManifestObject.Str(c["name"]) ?? "", ManifestObject.Str(c["type"]) ?? "", ManifestObject.Str(c["jsonPath"]) ?? "", c["priority"] is null ? 0 : ManifestObject.Int(c["priority"])));
        Assert.Equal(expected, columns);
    }

    private static void AssertWebhookRefuses(string fault, string field)
    {
        Assert.True(BadInputTests.Cases.ContainsKey(fault), $"no fault \"{fault}\" in the bad-input table");
        Assert.True(GatewaySyncValidationTests.Faults().Cast<object[]>().Any(row => (string)row[0] == fault), $"\"{fault}\" is not among the validating webhook's faults");
        Assert.Equal(field, BadInputTests.Cases[fault].Field);
    }

    /// <summary>The schema node at a path: <c>.a.b</c> for properties, <c>.*</c> for a map's values, <c>[]</c> for a list's items.</summary>
    private JsonObject Node(string path)
    {
        JsonNode node = Schema;
        foreach (var segment in path.Replace("[]", ".[]", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = segment switch
            {
                "*" => node["additionalProperties"],
                "[]" => node["items"],
                _ => node["properties"]?[segment],
            } ?? throw new InvalidOperationException($"the CRD schema has no {path} (at {segment})");
        }

        return (JsonObject)node;
    }

    private static void Walk(JsonObject node, string path, Action<JsonObject, string> visit)
    {
        visit(node, path);
        foreach (var (name, child) in node["properties"] as JsonObject ?? [])
        {
            Walk((JsonObject)child!, $"{path}.{name}", visit);
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            Walk(values, path + ".*", visit);
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, path + "[]", visit);
        }
    }
}
