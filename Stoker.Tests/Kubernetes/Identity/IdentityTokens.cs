using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Tests.FakeKubeApi;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>Pods and their projected tokens at the fake API server, shaped as the kubelet's (a JWT with <c>exp</c>).</summary>
public static class IdentityTokens
{
    public const string Audience = "stoker";

    /// <summary>A JWT-shaped token (unsigned: only the API server, here the fake, decides whether it authenticates).</summary>
    public static string Jwt(string subject, DateTimeOffset expires)
    {
        static string Part(JsonObject value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value.ToJsonString()));
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = "test" };
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray(Audience),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["sub"] = subject,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        return $"{Part(header)}.{Part(payload)}.{Base64Url.EncodeToString(Guid.NewGuid().ToByteArray())}";
    }

    /// <summary>Stores a pod (as the API server would have admitted it) and returns it with its uid.</summary>
    public static JsonObject SeedPod(FakeKubeApiServer api, string ns, string name, IReadOnlyDictionary<string, string> annotations, IReadOnlyDictionary<string, string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return api.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["serviceAccountName"] = "gateway",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "ignition", ["image"] = "inductiveautomation/ignition:8.3" }),
            },
        });
    }

    /// <summary>Issues a projected token (audience <see cref="Audience"/>) bound to <paramref name="pod"/>, as the kubelet mounts it.</summary>
    public static string IssueFor(FakeKubeApiServer api, JsonObject pod, DateTimeOffset expires, string audience = Audience)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        var token = Jwt($"system:serviceaccount:{ns}:gateway", expires);
        api.RegisterToken(token, TokenIdentity.ForPod(ns, "gateway", name, [audience], expires, uid));
        return token;
    }
}
