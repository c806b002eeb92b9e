using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Api.Discovery;

namespace Stoker.Silo.Api.OpenApi;

/// <summary>
/// The OpenAPI documents kubectl reads, generated once at start: v3 per group-version (explain, and whether PATCH
/// takes <c>fieldValidation</c>), and v2 as JSON and as gnostic protobuf (what older clients fetch for explain and
/// client-side validation). See docs/kubectl-reads.md.
/// </summary>
public sealed class OpenApiDocuments
{
    public const string StokerGroupVersionPath = "apis/" + GatewaySync.Group + "/" + GatewaySync.Version;
    public const string CoreGroupVersionPath = "api/v1";
    public const string ProtobufV2MediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    public const string ProtobufV2ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private const string V3Ref = "#/components/schemas/";
    private const string V2Ref = "#/definitions/";

    public OpenApiDocuments()
    {
        var stokerPaths = ResourcePaths("/" + StokerGroupVersionPath, GatewaySync.Plural, GatewaySync.Group, GatewaySync.Version, GatewaySync.KindValue,
            OpenApiSchemas.GatewaySyncName, OpenApiSchemas.GatewaySyncListName, "StokerIoV1alpha1", "GatewaySync", write: true);
        var corePaths = ResourcePaths("/" + CoreGroupVersionPath, "secrets", "", "v1", "Secret", OpenApiSchemas.SecretName, OpenApiSchemas.SecretListName, "CoreV1", "Secret", write: true)
            .Concat(ResourcePaths("/" + CoreGroupVersionPath, "events", "", "v1", "Event", OpenApiSchemas.EventName, OpenApiSchemas.EventListName, "CoreV1", "Event", write: false))
            .ToList();

        V3 = new Dictionary<string, JsonDocumentResult>(StringComparer.Ordinal)
        {
            [StokerGroupVersionPath] = new(V3Document(stokerPaths, OpenApiSchemas.GatewaySyncSchemas(V3Reference))),
            [CoreGroupVersionPath] = new(V3Document(corePaths, OpenApiSchemas.CoreSchemas(V3Reference))),
        };
        var paths = new JsonObject();
        foreach (var (path, document) in V3)
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(document.Body)}" };
        }

        V3Index = new JsonDocumentResult(new JsonObject { ["paths"] = paths });

        var definitions = OpenApiSchemas.GatewaySyncSchemas(V2Reference);
        foreach (var (name, schema) in OpenApiSchemas.CoreSchemas(V2Reference))
        {
            definitions[name] = schema!.DeepClone();
        }

        foreach (var (_, schema) in definitions)
        {
            OpenApiV2Schema.Simplify(schema!.AsObject());
        }

        V2Json = new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = Info(),
            ["paths"] = V2Paths(stokerPaths.Concat(corePaths)),
            ["definitions"] = definitions,
        };
        V2 = new JsonDocumentResult(V2Json);
        V2Protobuf = new JsonDocumentResult(OpenApiV2Protobuf.Encode(V2Json), ProtobufV2ContentType);
    }

    /// <summary><c>/openapi/v3</c>: where each group-version's document is, with a content hash kubectl caches by.</summary>
    public JsonDocumentResult V3Index { get; }

    /// <summary>The v3 documents by path relative to <c>/openapi/v3/</c>.</summary>
    public IReadOnlyDictionary<string, JsonDocumentResult> V3 { get; }

    public JsonObject V2Json { get; }

    public JsonDocumentResult V2 { get; }

    public JsonDocumentResult V2Protobuf { get; }

    private static JsonObject Info() => new() { ["title"] = "Kubernetes", ["version"] = KubernetesApiSemantics.GitVersion };

    private static string Hash(byte[] body) => Convert.ToHexString(SHA512.HashData(body));

    private static JsonObject V3Reference(string name, string description) =>
        description.Length == 0
            ? new JsonObject { ["$ref"] = V3Ref + name }
            : new JsonObject { ["description"] = description, ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = V3Ref + name }) };

    private static JsonObject V2Reference(string name, string description) =>
        description.Length == 0
            ? new JsonObject { ["$ref"] = V2Ref + name }
            : new JsonObject { ["$ref"] = V2Ref + name, ["description"] = description };

    private static List<OpenApiPath> ResourcePaths(
        string prefix, string plural, string group, string version, string kind, string schema, string listSchema, string idPrefix, string idKind, bool write)
    {
        var collection = new List<OpenApiOperation>
        {
            new("get", "list", $"list{idPrefix}Namespaced{idKind}", $"list or watch objects of kind {kind}", listSchema, OpenApiParameters.List),
        };
        var item = new List<OpenApiOperation>
        {
            new("get", "get", $"read{idPrefix}Namespaced{idKind}", $"read the specified {kind}", schema, OpenApiParameters.Read),
        };
        if (write)
        {
            collection.Add(new("post", "post", $"create{idPrefix}Namespaced{idKind}", $"create a {kind}", schema, OpenApiParameters.Write, schema));
            item.Add(new("put", "put", $"replace{idPrefix}Namespaced{idKind}", $"replace the specified {kind}", schema, OpenApiParameters.Write, schema));
            item.Add(new("patch", "patch", $"patch{idPrefix}Namespaced{idKind}", $"partially update the specified {kind}", schema, OpenApiParameters.Patch, OpenApiSchemas.PatchName));
            item.Add(new("delete", "delete", $"delete{idPrefix}Namespaced{idKind}", $"delete a {kind}", OpenApiSchemas.StatusName, OpenApiParameters.Write.Where(p => p == "dryRun" || p == "pretty").ToList()));
        }

        var paths = new List<OpenApiPath>
        {
            new($"{prefix}/{plural}", false, false, group, version, kind,
                [new("get", "list", $"list{idPrefix}{idKind}ForAllNamespaces", $"list or watch objects of kind {kind}", listSchema, OpenApiParameters.List)]),
            new($"{prefix}/namespaces/{{namespace}}/{plural}", true, false, group, version, kind, collection),
            new($"{prefix}/namespaces/{{namespace}}/{plural}/{{name}}", true, true, group, version, kind, item),
        };
        return paths;
    }

    private static JsonObject V3Document(IEnumerable<OpenApiPath> paths, JsonObject schemas)
    {
        var result = new JsonObject();
        foreach (var path in paths)
        {
            var item = new JsonObject { ["parameters"] = PathParameters(path, v3: true) };
            foreach (var operation in path.Operations)
            {
                var parameters = new JsonArray([.. operation.QueryParameters.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p,
                    ["in"] = "query",
                    ["description"] = OpenApiParameters.Describe(p),
                    ["schema"] = new JsonObject { ["type"] = OpenApiParameters.TypeOf(p), ["uniqueItems"] = true },
                })]);
                var op = new JsonObject
                {
                    ["tags"] = new JsonArray((JsonNode)(path.Group.Length == 0 ? "core_v1" : "stokerIo_v1alpha1")),
                    ["description"] = operation.Description,
                    ["operationId"] = operation.OperationId,
                    ["parameters"] = parameters,
                };
                if (operation.BodySchema is { } body)
                {
                    // A custom resource takes no strategic merge patch (the API server refuses it with 415, and so do
                    // we); kubectl >= 1.27 reads this list to choose between it and a JSON merge patch for apply.
                    var types = operation.Method != "patch" ? new[] { "application/json", "application/yaml" }
                        : path.Group.Length == 0 ? new[] { "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml" }
                        : new[] { "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml" };
                    var content = new JsonObject();
                    foreach (var type in types)
                    {
                        content[type] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = V3Ref + body } };
                    }

                    op["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
                }

                op["responses"] = new JsonObject
                {
                    ["200"] = new JsonObject
                    {
                        ["description"] = "OK",
                        ["content"] = new JsonObject
                        {
                            ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = V3Ref + operation.ResponseSchema } },
                            ["application/yaml"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = V3Ref + operation.ResponseSchema } },
                        },
                    },
                    ["401"] = new JsonObject { ["description"] = "Unauthorized" },
                };
                op["x-kubernetes-action"] = operation.Action;
                op[OpenApiSchemas.GroupVersionKindExtension] = new JsonObject { ["group"] = path.Group, ["kind"] = path.Kind, ["version"] = path.Version };
                item[operation.Method] = op;
            }

            result[path.Path] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = Info(),
            ["paths"] = result,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject V2Paths(IEnumerable<OpenApiPath> paths)
    {
        var result = new JsonObject();
        foreach (var path in paths)
        {
            var item = new JsonObject { ["parameters"] = PathParameters(path, v3: false) };
            foreach (var operation in path.Operations)
            {
                var parameters = new JsonArray();
                if (operation.BodySchema is { } body)
                {
                    parameters.Add(new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = true, ["schema"] = new JsonObject { ["$ref"] = V2Ref + body } });
                }

                foreach (var p in operation.QueryParameters)
                {
                    parameters.Add(new JsonObject { ["uniqueItems"] = true, ["type"] = OpenApiParameters.TypeOf(p), ["description"] = OpenApiParameters.Describe(p), ["name"] = p, ["in"] = "query" });
                }

                item[operation.Method] = new JsonObject
                {
                    ["description"] = operation.Description,
                    ["consumes"] = new JsonArray((JsonNode)"*/*"),
                    ["produces"] = new JsonArray((JsonNode)"application/json", (JsonNode)"application/yaml"),
                    ["schemes"] = new JsonArray((JsonNode)"https"),
                    ["operationId"] = operation.OperationId,
                    ["parameters"] = parameters,
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject { ["description"] = "OK", ["schema"] = new JsonObject { ["$ref"] = V2Ref + operation.ResponseSchema } },
                        ["401"] = new JsonObject { ["description"] = "Unauthorized" },
                    },
                    ["x-kubernetes-action"] = operation.Action,
                    [OpenApiSchemas.GroupVersionKindExtension] = new JsonObject { ["group"] = path.Group, ["kind"] = path.Kind, ["version"] = path.Version },
                };
            }

            result[path.Path] = item;
        }

        return result;
    }

    private static JsonArray PathParameters(OpenApiPath path, bool v3)
    {
        var parameters = new JsonArray();
        if (path.HasName)
        {
            parameters.Add(PathParameter("name", $"name of the {path.Kind}", v3));
        }

        if (path.HasNamespace)
        {
            parameters.Add(PathParameter("namespace", "object name and auth scope, such as for teams and projects", v3));
        }

        return parameters;
    }

    private static JsonObject PathParameter(string name, string description, bool v3) =>
        v3
            ? new JsonObject { ["name"] = name, ["in"] = "path", ["description"] = description, ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }
            : new JsonObject { ["uniqueItems"] = true, ["type"] = "string", ["description"] = description, ["name"] = name, ["in"] = "path", ["required"] = true };
}
