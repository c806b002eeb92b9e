using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>Runs the registered admission webhooks over an object about to be stored.</summary>
public sealed class AdmissionChain
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<AdmissionWebhook> webhooks = new();

    public void Register(AdmissionWebhook webhook) => webhooks.Enqueue(webhook);

    public bool Applies(ResourceType type, string operation) =>
        webhooks.Any(w => w.Resource == type && w.Operations.Contains(operation));

    /// <summary>Returns the object as the mutating webhooks left it, or throws the API server's error for a denial.</summary>
    public async Task<JsonObject> AdmitAsync(ResourceType type, string operation, string ns, string name, JsonObject obj, JsonObject? oldObject, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(type);
        var current = obj;
        foreach (var webhook in webhooks.Where(w => w.Resource == type && w.Operations.Contains(operation)).OrderBy(w => w.Mutating ? 0 : 1))
        {
            JsonObject? response;
            try
            {
                response = await CallAsync(webhook, Review(type, operation, ns, name, current, oldObject), cancellation);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                if (webhook.FailurePolicyIgnore)
                {
                    continue;
                }

                throw new KubeApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{webhook.Name}\": {e.Message}");
            }

            if (response?["allowed"]?.GetValue<bool>() != true)
            {
                var result = response?["status"] as JsonObject;
                var code = result?["code"] is JsonValue c && c.TryGetValue<int>(out var given) && given >= 400 ? given : 400;
                var message = result?["message"]?.GetValue<string>();
                var reason = result?["reason"]?.GetValue<string>() ?? string.Empty;
                throw new KubeApiException(code, reason, $"admission webhook \"{webhook.Name}\" denied the request{(string.IsNullOrEmpty(message) ? " without explanation" : ": " + message)}");
            }

            if (webhook.Mutating && response["patch"]?.GetValue<string>() is { Length: > 0 } patch)
            {
                var operations = JsonNode.Parse(Convert.FromBase64String(patch));
                current = JsonPatching.JsonPatch(current, operations) as JsonObject
                    ?? throw new KubeApiException(500, "InternalError", $"Internal error occurred: webhook \"{webhook.Name}\" patched the object into a non-object");
            }
        }

        return current;
    }

    private static JsonObject Review(ResourceType type, string operation, string ns, string name, JsonObject obj, JsonObject? oldObject)
    {
        var kind = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
        var resource = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural };
        var request = new JsonObject
        {
            ["uid"] = Guid.NewGuid().ToString(),
            ["kind"] = kind,
            ["resource"] = resource,
            ["requestKind"] = kind.DeepClone(),
            ["requestResource"] = resource.DeepClone(),
            ["name"] = name,
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = "kubernetes-admin", ["groups"] = new JsonArray("system:masters", "system:authenticated") },
            ["object"] = obj.DeepClone(),
            ["oldObject"] = oldObject?.DeepClone(),
            ["dryRun"] = false,
            ["options"] = new JsonObject { ["kind"] = operation == "CREATE" ? "CreateOptions" : "UpdateOptions", ["apiVersion"] = "meta.k8s.io/v1" },
        };
        if (type.Namespaced)
        {
            request["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    private static async Task<JsonObject?> CallAsync(AdmissionWebhook webhook, JsonObject review, CancellationToken cancellation)
    {
        using var client = webhook.Handler is null ? new HttpClient() : new HttpClient(webhook.Handler, disposeHandler: false);
        client.Timeout = Timeout;
        using var content = new StringContent(review.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(webhook.Url, content, cancellation);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation)) as JsonObject;
        var answer = body?["response"] as JsonObject ?? throw new InvalidOperationException("the webhook's AdmissionReview has no response");
        if (answer["uid"]?.GetValue<string>() != review["request"]!["uid"]!.GetValue<string>())
        {
            throw new InvalidOperationException("the webhook answered with a different uid");
        }

        return answer;
    }
}
