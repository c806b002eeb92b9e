using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Stoker.Grains.Audit;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Audit;

/// <summary>
/// Records every request to the HTTP port that may change something (any method but GET, HEAD and OPTIONS: applies,
/// creates, updates, patches and deletes of GatewaySyncs and Secrets, webhooks, agent-token mint and revoke), whether
/// it was served or refused, once its answer is complete. Never the body, the query string or the Authorization header.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditSink sink, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            await next(context);
            return;
        }

        var received = time.GetUtcNow();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // An exception that escapes becomes a 500 further out; record what the caller gets.
            sink.Record(Describe(context, received, time.GetUtcNow(), failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode));
        }
    }

    /// <summary>The record of one request, as the routing and authentication of the pipeline left it.</summary>
    public static AuditRecord Describe(HttpContext context, DateTimeOffset received, DateTimeOffset completed, int code)
    {
        ArgumentNullException.ThrowIfNull(context);
        var attributes = ApiRequestAttributes.From(context);
        var route = context.Request.RouteValues;
        var resource = attributes.IsResource ? attributes.Access : null;
        // The webhook receiver is no resource route, but it acts on one GatewaySync: recorded as its subresource.
        var webhook = resource is null && Value(route, "crName") is not null;
        var user = context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : AuditRecord.Anonymous;
        return new AuditRecord
        {
            Received = received,
            Completed = completed,
            Verb = attributes.Verb,
            RequestUri = context.Request.PathBase.Add(context.Request.Path).Value ?? "/",
            User = user,
            Groups = Groups(context.User),
            SourceAddress = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent.ToString() : null,
            ApiGroup = webhook ? GatewaySync.Group : resource?.Group,
            Resource = webhook ? GatewaySync.Plural : resource?.Resource,
            Subresource = webhook ? "webhook" : null,
            Namespace = attributes.Namespace ?? Value(route, "namespace"),
            Name = attributes.Name ?? Value(route, "crName") ?? AuditObjectName.Get(context),
            Code = code,
        };
    }

    private static string[] Groups(ClaimsPrincipal user)
    {
        if (user.Identity is KubernetesUserIdentity kubernetes)
        {
            return [.. kubernetes.User.Groups ?? []];
        }

        return [.. user.FindAll(ApiAuthenticationDefaults.RoleClaim).Select(c => c.Value)];
    }

    private static string? Value(Microsoft.AspNetCore.Routing.RouteValueDictionary route, string key) =>
        route.TryGetValue(key, out var value) ? value as string : null;
}
