using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>Answers TokenReviews from tokens the test registered, checking audiences and expiry as the API server does.</summary>
public sealed class TokenReviewer
{
    private readonly ConcurrentDictionary<string, TokenIdentity> tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    public TokenReviewer(TimeProvider time)
    {
        this.time = time;
    }

    public void Register(string token, TokenIdentity identity) => tokens[token] = identity;

    public void Revoke(string token) => tokens.TryRemove(token, out _);

    public JsonObject Review(JsonObject review)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (review["spec"] is not JsonObject spec)
        {
            throw new KubeApiException(422, "Invalid", "TokenReview.authentication.k8s.io \"\" is invalid: spec: Required value");
        }

        var token = spec["token"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
        var wanted = spec["audiences"] is JsonArray list
            ? list.Select(a => a?.GetValue<string>() ?? string.Empty).ToList()
            : [];
        var result = new JsonObject
        {
            ["kind"] = "TokenReview",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
        };

        var audiencesAsked = wanted.Count > 0 ? wanted : [TokenIdentity.ApiServerAudience];
        if (token.Length == 0 || !tokens.TryGetValue(token, out var identity))
        {
            result["status"] = new JsonObject { ["user"] = new JsonObject(), ["error"] = "[invalid bearer token, token lookup failed]" };
            return result;
        }

        if (identity.ExpiresAt is { } expiry && time.GetUtcNow() >= expiry)
        {
            result["status"] = new JsonObject { ["user"] = new JsonObject(), ["error"] = "[invalid bearer token, service account token has expired]" };
            return result;
        }

        var granted = audiencesAsked.Intersect(identity.Audiences, StringComparer.Ordinal).ToList();
        if (granted.Count == 0)
        {
            result["status"] = new JsonObject { ["user"] = new JsonObject(), ["error"] = "[invalid bearer token, token audiences is invalid for the target audiences]" };
            return result;
        }

        var extra = new JsonObject();
        foreach (var (key, values) in identity.Extra)
        {
            extra[key] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        }

        var user = new JsonObject { ["username"] = identity.Username, ["extra"] = extra };
        if (identity.Uid is not null)
        {
            user["uid"] = identity.Uid;
        }

        if (identity.Groups is not null)
        {
            user["groups"] = new JsonArray(identity.Groups.Select(g => (JsonNode?)g).ToArray());
        }

        result["status"] = new JsonObject
        {
            ["authenticated"] = true,
            ["user"] = user,
            ["audiences"] = new JsonArray(granted.Select(a => (JsonNode?)a).ToArray()),
        };
        return result;
    }
}
