using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api;
using Stoker.Silo.Webhooks;

namespace Stoker.Silo.Security;

/// <summary>
/// <c>POST /api/v1/agent-tokens</c> <c>{"gateway":"ns/name/gw","ttl":"720h"}</c> answers 201
/// <c>{"id","token","gateway","expiresAt"}</c>; <c>DELETE /api/v1/agent-tokens/{id}</c> revokes (200, or 404 for an
/// unknown id). Errors are Kubernetes Status objects naming the field, the value and the rule. In Kubernetes mode
/// both answer 409: agents present their pod's service-account token there.
/// </summary>
public static class AgentTokenEndpoints
{
    public const string Path = "/api/v1/agent-tokens";

    public static IEndpointRouteBuilder MapStokerAgentTokens(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Path, (HttpRequest request, IServiceProvider services) => MintAsync(request, services.GetService<AgentTokenIssuer>()));
        endpoints.MapDelete(Path + "/{id}", (string id, IServiceProvider services) => RevokeAsync(id, services.GetService<AgentTokenIssuer>()));
        return endpoints;
    }

    private static async Task<IResult> MintAsync(HttpRequest request, AgentTokenIssuer? issuer)
    {
        if (issuer is null)
        {
            return KubernetesMode();
        }

        var (text, error) = await ApiRequestBody.ReadAsync(request);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text!) as JsonObject;
        }
        catch (JsonException e)
        {
            return Bad($"the request body is not JSON: {e.Message}");
        }

        if (body is null)
        {
            return Bad("the request body must be a JSON object {\"gateway\":\"NAMESPACE/NAME/GATEWAY\",\"ttl\":\"720h\"}");
        }

        if (body.Select(p => p.Key).FirstOrDefault(k => k is not ("gateway" or "ttl")) is { } unknown)
        {
            return Bad($"{UntrustedText.Sanitize(unknown)}: unknown field (known: gateway, ttl)");
        }

        if (StringField(body, "gateway", out var gateway) is { } badGateway)
        {
            return badGateway;
        }

        if (CheckGatewayKey(gateway) is { } rule)
        {
            return Bad($"gateway: \"{UntrustedText.Sanitize(gateway ?? "")}\": {rule}");
        }

        if (StringField(body, "ttl", out var ttlText) is { } badTtl)
        {
            return badTtl;
        }

        var ttl = issuer.DefaultTtl;
        if (ttlText is not null && (!GoDuration.TryParse(ttlText, out ttl) || ttl < AgentCredentialOptionsValidator.MinTokenTtl || ttl > issuer.MaxTtl))
        {
            return Bad($"ttl: \"{UntrustedText.Sanitize(ttlText)}\": must be a duration such as 720h or 90m, between "
                + $"{GoDuration.Format(AgentCredentialOptionsValidator.MinTokenTtl)} and {GoDuration.Format(issuer.MaxTtl)}");
        }

        var minted = await issuer.MintAsync(gateway!, ttl);
        return new ApiResponse(StatusCodes.Status201Created, new JsonObject
        {
            ["id"] = minted.Id,
            ["token"] = minted.Token,
            ["gateway"] = minted.Gateway,
            ["expiresAt"] = Timestamp(minted.ExpiresAt),
        });
    }

    private static async Task<IResult> RevokeAsync(string id, AgentTokenIssuer? issuer)
    {
        if (issuer is null)
        {
            return KubernetesMode();
        }

        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiHexDigitLower))
        {
            return Bad($"id: \"{UntrustedText.Sanitize(id)}\": must be a token id, 32 lower-case hex digits (as `stoker agent-token create` printed it)");
        }

        return await issuer.RevokeAsync(id) is { } revoked
            ? new ApiResponse(StatusCodes.Status200OK, new JsonObject
            {
                ["id"] = revoked.Id,
                ["gateway"] = revoked.Gateway,
                ["expiresAt"] = Timestamp(revoked.ExpiresAt),
                ["revoked"] = true,
            })
            : ApiResponse.From(new ApiStatus
            {
                Code = StatusCodes.Status404NotFound,
                Reason = ApiStatuses.ReasonNotFound,
                Message = $"agent token \"{id}\" not found: no unexpired token minted by this cluster has that id",
            });
    }

    /// <summary>The rule a gateway key breaks, or null: three segments, each a Kubernetes name.</summary>
    public static string? CheckGatewayKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "Required value: NAMESPACE/NAME/GATEWAY";
        }

        var segments = key.Split('/');
        if (segments.Length != 3)
        {
            return "must be NAMESPACE/NAME/GATEWAY (three segments separated by '/')";
        }

        string[] names = ["namespace", "name", "gateway name"];
        for (var i = 0; i < 3; i++)
        {
            if (!KubernetesNames.IsDnsSubdomain(segments[i], out var rule))
            {
                return $"the {names[i]} \"{UntrustedText.Sanitize(segments[i])}\" {rule}";
            }
        }

        return null;
    }

    private static IResult? StringField(JsonObject body, string name, out string? value)
    {
        value = null;
        if (body[name] is not { } node)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return null;
        }

        return Bad($"{name}: must be of type string");
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static ApiResponse Bad(string message) => ApiResponse.From(ApiStatuses.BadRequest(message));

    private static ApiResponse KubernetesMode() => ApiResponse.From(new ApiStatus
    {
        Code = StatusCodes.Status409Conflict,
        Reason = "Conflict",
        Message = "agent tokens are a local-mode credential: in Kubernetes mode each agent presents its pod's projected service-account token (docs/kubernetes.md, \"Agent identity\")",
    });
}
