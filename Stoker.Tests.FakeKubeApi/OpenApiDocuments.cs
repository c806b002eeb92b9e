using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// Just enough OpenAPI v3 for kubectl: the index (<c>/openapi/v3</c>) and per group-version documents whose PATCH
/// operations carry the <c>fieldValidation</c> parameter and the group-version-kind extension. From those kubectl
/// learns that the server validates fields itself and skips its own schema download, so a plain
/// <c>kubectl apply</c> works. There are no schemas: the fake does not validate objects against the CRD (its
/// strict field validation accepts unknown fields).
/// </summary>
public static class OpenApiDocuments
{
    private const string Hash = "fake0001";

    public static JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var gv in ResourceCatalog.All.Select(r => (r.Group, r.Version)).Distinct())
        {
            var key = RelativePath(gv.Group, gv.Version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for <c>api/v1</c> or <c>apis/GROUP/VERSION</c>; null when no such group-version is served.</summary>
    public static JsonObject? GroupVersion(string relativePath)
    {
        var resources = ResourceCatalog.All.Where(r => RelativePath(r.Group, r.Version) == relativePath).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var r in resources)
        {
            var prefix = "/" + relativePath + (r.Namespaced ? "/namespaces/{namespace}/" : "/") + r.Plural + "/{name}";
            var gvk = new JsonObject { ["group"] = r.Group, ["version"] = r.Version, ["kind"] = r.Kind };
            paths[prefix] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = "patch" + r.Kind,
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (fake)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static string RelativePath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
}
