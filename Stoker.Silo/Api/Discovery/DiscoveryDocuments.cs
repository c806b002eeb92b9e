using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api.Discovery;

/// <summary>
/// The legacy discovery documents (<c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/stoker.io</c>,
/// <c>/apis/stoker.io/v1alpha1</c>) and <c>/version</c>, built once. The GatewaySync entry comes from the embedded CRD's
/// names so <c>kubectl get gs</c> works as in a cluster; the core entries name what local mode serves of Secrets and
/// Events (docs/kubectl-reads.md).
/// </summary>
public sealed class DiscoveryDocuments
{
    public const string CoreVersion = "v1";

    public DiscoveryDocuments()
    {
        var names = CrdSchema.GatewaySync.Crd["spec"]?["names"]?.AsObject()
            ?? throw new InvalidOperationException("the embedded CRD has no spec.names");
        var gatewaySyncs = new JsonObject
        {
            ["name"] = (string?)names["plural"] ?? GatewaySync.Plural,
            ["singularName"] = (string?)names["singular"] ?? "",
            ["namespaced"] = true,
            ["kind"] = (string?)names["kind"] ?? GatewaySync.KindValue,
            ["verbs"] = Strings("delete", "get", "list", "patch", "create", "update", "watch"),
        };
        if (names["shortNames"] is JsonArray shortNames)
        {
            gatewaySyncs["shortNames"] = shortNames.DeepClone();
        }

        if (names["categories"] is JsonArray categories)
        {
            gatewaySyncs["categories"] = categories.DeepClone();
        }

        GroupVersion = ResourceList(GatewaySync.ApiVersionValue, gatewaySyncs);
        CoreResources = ResourceList(CoreVersion,
            new JsonObject
            {
                ["name"] = "events",
                ["singularName"] = "event",
                ["namespaced"] = true,
                ["kind"] = "Event",
                ["verbs"] = Strings("get", "list", "watch"),
                ["shortNames"] = Strings("ev"),
            },
            new JsonObject
            {
                ["name"] = "namespaces",
                ["singularName"] = "namespace",
                ["namespaced"] = false,
                ["kind"] = "Namespace",
                ["verbs"] = Strings("get", "list"),
                ["shortNames"] = Strings("ns"),
            },
            new JsonObject
            {
                ["name"] = "secrets",
                ["singularName"] = "secret",
                ["namespaced"] = true,
                ["kind"] = "Secret",
                ["verbs"] = Strings("create", "delete", "get", "list", "patch", "update"),
            });
        Group = GroupDocument();
        Groups = new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray(GroupDocument(withKind: false)) };
        Version = new JsonObject
        {
            ["major"] = KubernetesApiSemantics.Major,
            ["minor"] = KubernetesApiSemantics.Minor,
            ["gitVersion"] = KubernetesApiSemantics.GitVersion,
            ["gitCommit"] = "",
            ["gitTreeState"] = "",
            ["buildDate"] = "",
            ["goVersion"] = RuntimeInformation.FrameworkDescription,
            ["compiler"] = "dotnet",
            ["platform"] = $"{RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant()}/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}",
        };
    }

    /// <summary><c>/api/v1</c>: the core resources local mode serves.</summary>
    public JsonObject CoreResources { get; }

    /// <summary><c>/apis</c>.</summary>
    public JsonObject Groups { get; }

    /// <summary><c>/apis/stoker.io</c>.</summary>
    public JsonObject Group { get; }

    /// <summary><c>/apis/stoker.io/v1alpha1</c>.</summary>
    public JsonObject GroupVersion { get; }

    /// <summary><c>/version</c> (a <c>version.Info</c>).</summary>
    public JsonObject Version { get; }

    /// <summary><c>/api</c>; the server address is the one the client used, as the API server answers a client outside its CIDRs.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = Strings(CoreVersion),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    private static JsonObject GroupDocument(bool withKind = true)
    {
        var document = new JsonObject();
        if (withKind)
        {
            document["kind"] = "APIGroup";
            document["apiVersion"] = "v1";
        }

        document["name"] = GatewaySync.Group;
        document["versions"] = new JsonArray(GroupVersionEntry());
        document["preferredVersion"] = GroupVersionEntry();
        return document;
    }

    private static JsonObject GroupVersionEntry() => new() { ["groupVersion"] = GatewaySync.ApiVersionValue, ["version"] = GatewaySync.Version };

    private static JsonObject ResourceList(string groupVersion, params JsonObject[] resources) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray([.. resources]),
    };

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
