using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// Answers SubjectAccessReviews (<c>authorization.k8s.io/v1</c>) from the <see cref="AccessRule"/>s a test granted,
/// with the API server's wire shape: the review comes back with <c>status.allowed</c> and, when refused, a reason.
/// Nothing is allowed unless a rule says so.
/// </summary>
public sealed class AccessReviewer
{
    private readonly Lock gate = new();
    private readonly List<AccessRule> rules = [];

    public void Allow(AccessRule rule)
    {
        lock (gate)
        {
            rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    public JsonObject Review(JsonObject review)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (review["spec"] is not JsonObject spec)
        {
            throw new KubeApiException(422, "Invalid", "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec: Required value");
        }

        var user = Text(spec["user"]);
        var groups = spec["groups"] is JsonArray list ? list.Select(g => Text(g)).Where(g => g.Length > 0).ToList() : [];
        if (user.Length == 0 && groups.Count == 0)
        {
            throw new KubeApiException(422, "Invalid", "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: \"\": at least one of user or group must be specified");
        }

        var resource = spec["resourceAttributes"] as JsonObject;
        var nonResource = spec["nonResourceAttributes"] as JsonObject;
        if ((resource is null) == (nonResource is null))
        {
            throw new KubeApiException(422, "Invalid", "SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        List<AccessRule> snapshot;
        lock (gate)
        {
            snapshot = [.. rules];
        }

        bool allowed;
        if (resource is not null)
        {
            var ns = resource["namespace"] is null ? null : Text(resource["namespace"]);
            var name = resource["name"] is null ? null : Text(resource["name"]);
            allowed = snapshot.Any(r => r.Matches(user, groups, Text(resource["verb"]), Text(resource["group"]), Text(resource["resource"]), ns, name));
        }
        else
        {
            allowed = snapshot.Any(r => r.MatchesPath(user, groups, Text(nonResource!["verb"]), Text(nonResource["path"])));
        }

        var status = new JsonObject { ["allowed"] = allowed };
        if (!allowed)
        {
            status["reason"] = "no RBAC policy matched";
        }

        return new JsonObject
        {
            ["kind"] = "SubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
}
