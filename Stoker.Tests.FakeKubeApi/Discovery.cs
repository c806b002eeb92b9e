using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>The discovery documents kubectl and clients read before they touch a resource.</summary>
public static class Discovery
{
    public static JsonObject Version(string gitVersion) => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = gitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var group in ResourceCatalog.All.Where(r => r.Group.Length > 0).GroupBy(r => r.Group))
        {
            groups.Add(Group(group.Key, group.Select(r => r.Version).Distinct().ToList()));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(string name)
    {
        var versions = ResourceCatalog.All.Where(r => r.Group == name).Select(r => r.Version).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        var group = Group(name, versions);
        group["kind"] = "APIGroup";
        group["apiVersion"] = "v1";
        return group;
    }

    public static JsonObject? Resources(string group, string version)
    {
        var resources = ResourceCatalog.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var r in resources)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(r.Verbs.Select(v => (JsonNode?)v).ToArray()),
                ["shortNames"] = new JsonArray(r.ShortNames.Select(v => (JsonNode?)v).ToArray()),
                ["categories"] = r.IsCustom ? new JsonArray("all") : new JsonArray(),
            });
            if (r.HasStatus)
            {
                list.Add(new JsonObject
                {
                    ["name"] = r.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = r.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private static JsonObject Group(string name, List<string> versions)
    {
        var versionList = new JsonArray(versions.Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v }).ToArray());
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = versionList,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{versions[0]}", ["version"] = versions[0] },
        };
    }
}
