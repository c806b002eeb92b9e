using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Grains.Secrets;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// <c>POST /webhook/{namespace}/{crName}</c> (docs/webhooks.md): read at most
/// <c>MaxBodyBytes</c>; refuse a request without credentials before any lookup; look the resource up in the registry
/// of applied resources, and only then in its grain (quietly: nothing about it is revealed before authorization); authorize
/// against the resource's own secret if it names one, else the global secrets, else only in insecure mode; answer
/// GitHub pings; extract the ref (GitHub push, release, ArgoCD, Kargo, generic) and check it with git's ref-name rules
/// (<see cref="GitRefFormat"/>, 400 naming the field and rule); 404 for an unknown resource; pass the
/// request to the grain through the per-GatewaySync rate limit the grain keeps.
/// </summary>
public sealed partial class WebhookReceiverEndpoint(
    IGrainFactory grains,
    ISecretStore secrets,
    IOptions<WebhookReceiverOptions> options,
    TimeProvider time,
    ILogger<WebhookReceiverEndpoint> logger)
{
    public const string Pattern = "/webhook/{namespace}/{crName}";
    public const string GitHubEventHeader = "X-GitHub-Event";

    /// <summary>Keys read from the Secret a resource names in <c>stoker.io/webhook-secret</c>.</summary>
    public const string HmacSecretKey = "hmac";
    public const string BearerTokenKey = "token";

    private readonly WebhookReceiverOptions _options = options.Value;
    private readonly WebhookCredentials _global = new(options.Value.HmacSecret, options.Value.BearerToken);
    private readonly WebhookRateLimit _limit = new() { PermitLimit = options.Value.RateLimit.PermitLimit, Window = options.Value.RateLimit.Window };

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ns = context.GetRouteValue("namespace") as string ?? "";
        var name = context.GetRouteValue("crName") as string ?? "";
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await WebhookResponse.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "method not allowed", "deliveries are POST requests");
            return;
        }

        ReadOnlyMemory<byte> body;
        try
        {
            // Only the first MaxBodyBytes are read, whatever the body's size (the original's rule); Kestrel's own
            // limit would refuse a large Content-Length before a byte is read.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            {
                sizeLimit.MaxRequestBodySize = null;
            }

            body = await ReadBodyAsync(context.Request.Body, _options.MaxBodyBytes, context.RequestAborted);
            if (body.Length == _options.MaxBodyBytes && context.Request.ContentLength != body.Length)
            {
                // The excess is discarded: close the connection rather than read it to keep the connection alive.
                context.Response.Headers.Connection = "close";
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            LogBodyUnreadable(logger, UntrustedText.Sanitize(ns), UntrustedText.Sanitize(name), UntrustedText.Sanitize(e.Message));
            await RefuseAsync(context, WebhookSources.Unknown, StatusCodes.Status400BadRequest, "failed to read body", "the request body ended early or could not be read: send it again");
            return;
        }

        var key = GrainKeys.GatewaySync(ns, name);
        var signature = SingleHeader(context.Request.Headers, WebhookSignature.HmacHeader);
        var authorization = SingleHeader(context.Request.Headers, "Authorization");
        if (signature is null && authorization is null && (_global.IsConfigured || !_options.AllowUnauthenticated))
        {
            // No resource could accept a request without credentials: answer without touching any grain.
            LogUnauthorized(logger, UntrustedText.Sanitize(key));
            await RefuseAsync(context, WebhookSources.Unknown, StatusCodes.Status401Unauthorized, "unauthorized", UnauthorizedHint);
            return;
        }

        var resource = await LookUpAsync(ns, name, key);
        if (!await AuthorizeAsync(resource, key, body, signature, authorization, context.RequestAborted))
        {
            LogUnauthorized(logger, UntrustedText.Sanitize(key));
            await RefuseAsync(context, WebhookSources.Unknown, StatusCodes.Status401Unauthorized, "unauthorized", UnauthorizedHint);
            return;
        }

        var gitHubEvent = SingleHeader(context.Request.Headers, GitHubEventHeader) ?? "";
        if (gitHubEvent != "ping")
        {
            // Authorized above on the raw body; from here on the event is what counts, wherever the body carried it.
            var (payloadBytes, formError) = await WebhookBody.ExtractAsync(context.Request.ContentType, body);
            if (formError is not null)
            {
                await RefuseAsync(context, WebhookSources.Unknown, StatusCodes.Status400BadRequest, formError,
                    "GitHub sends the event as the form's \"payload\" field; set the hook's Content type to application/json, or send the event JSON as the payload field");
                return;
            }

            body = payloadBytes;
        }

        switch (gitHubEvent)
        {
            case "ping":
                await AnswerPingAsync(context, resource);
                return;
            case "push":
                await HandlePushAsync(context, resource, key, body);
                return;
            case "" or "release":
                break;
            default:
                await IgnoreAsync(context, resource, key, WebhookSources.GitHub, null, $"ignored: GitHub event \"{gitHubEvent}\" is not handled (only push, release and ping)");
                return;
        }

        if (WebhookPayloadParser.Parse(body) is not { } payload)
        {
            await RefuseAsync(context, WebhookSources.Unknown, StatusCodes.Status400BadRequest, "no ref found in payload", NoRefHint);
            return;
        }

        if (!GitRefFormat.IsValid(payload.Ref, out var refRule))
        {
            await RefuseInvalidAsync(context, payload.Source, payload.Field, payload.Ref, refRule);
            return;
        }

        if (resource is null)
        {
            await RefuseAsync(context, payload.Source, StatusCodes.Status404NotFound, "not found", NotFoundHint);
            return;
        }

        await SubmitAsync(context, key, new RefRequest { Ref = payload.Ref, Source = payload.Source, RequestedAt = time.GetUtcNow() });
    }

    /// <summary>
    /// A push to the branch (or tag) <c>spec.git.ref</c> names becomes a request for that ref at the pushed commit;
    /// a push to anything else is acknowledged and ignored, so a feature branch is never deployed by a push.
    /// </summary>
    private async Task HandlePushAsync(HttpContext context, GatewaySync? resource, string key, ReadOnlyMemory<byte> body)
    {
        if (WebhookPayloadParser.ParsePush(body) is not { } push)
        {
            await RefuseAsync(context, WebhookSources.Unknown, StatusCodes.Status400BadRequest, "no ref found in payload", NoRefHint);
            return;
        }

        if (!GitRefFormat.IsValid(push.Ref, out var refRule))
        {
            await RefuseInvalidAsync(context, WebhookSources.GitHub, "ref", push.Ref, refRule);
            return;
        }

        if (push.After is { } after && !IsObjectId(after))
        {
            await RefuseInvalidAsync(context, WebhookSources.GitHub, "after", after, "must be a commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits");
            return;
        }

        if (resource is null)
        {
            await RefuseAsync(context, WebhookSources.GitHub, StatusCodes.Status404NotFound, "not found", NotFoundHint);
            return;
        }

        var specRef = resource.Spec.Git.Ref;
        if (push.Deleted)
        {
            await IgnoreAsync(context, resource, key, WebhookSources.GitHub, push.Ref, $"ignored: push deleted {push.Ref}");
            return;
        }

        if (!push.Updates(specRef))
        {
            await IgnoreAsync(context, resource, key, WebhookSources.GitHub, push.Ref, $"ignored: push to {push.Ref}, the resource follows \"{specRef}\"");
            return;
        }

        await SubmitAsync(context, key, new RefRequest { Ref = specRef, Source = WebhookSources.GitHub, Commit = push.After, RequestedAt = time.GetUtcNow() });
    }

    private async Task SubmitAsync(HttpContext context, string key, RefRequest request)
    {
        WebhookRefDecision result;
        try
        {
            // The rate limit is counted in the resource's grain, so it holds across every silo of the cluster.
            result = await grains.GetGrain<IGatewaySyncGrain>(key).SubmitWebhookRef(request, _limit);
        }
        catch (Exception e)
        {
            LogRequestFailed(logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(request.Ref), e);
            await RefuseAsync(context, request.Source, StatusCodes.Status500InternalServerError, "internal error", "the control plane did not take the request: send it again (GitHub: Redeliver)");
            return;
        }

        if (result.RetryAfter is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            WebhookReceiverMetrics.Count(request.Source, StatusCodes.Status429TooManyRequests);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WebhookResponse.JsonAsync(context, StatusCodes.Status429TooManyRequests,
                ("accepted", false), ("commit", request.Commit), ("ref", request.Ref),
                ("message", $"rate limited: the newest ref is passed on when the window opens in {seconds}s"));
            return;
        }

        if (result.Outcome == RefRequestOutcome.NotFound)
        {
            await RefuseAsync(context, request.Source, StatusCodes.Status404NotFound, "not found", NotFoundHint);
            return;
        }

        var message = result.Outcome == RefRequestOutcome.AlreadyRequested ? "ref already set" : null;
        if (message is null)
        {
            LogAccepted(logger, UntrustedText.Sanitize(key), request.Source, UntrustedText.Sanitize(request.Ref), UntrustedText.Sanitize(request.Commit));
        }

        WebhookReceiverMetrics.Count(request.Source, StatusCodes.Status202Accepted);
        await WebhookResponse.JsonAsync(context, StatusCodes.Status202Accepted, ("accepted", true), ("commit", request.Commit), ("message", message), ("ref", request.Ref));
    }

    private static async Task AnswerPingAsync(HttpContext context, GatewaySync? resource)
    {
        if (resource is null)
        {
            await RefuseAsync(context, WebhookSources.GitHub, StatusCodes.Status404NotFound, "not found", NotFoundHint);
            return;
        }

        WebhookReceiverMetrics.Count(WebhookSources.GitHub, StatusCodes.Status200OK);
        await WebhookResponse.JsonAsync(context, StatusCodes.Status200OK, ("message", "pong"));
    }

    private async Task IgnoreAsync(HttpContext context, GatewaySync? resource, string key, string source, string? @ref, string message)
    {
        if (resource is null)
        {
            await RefuseAsync(context, source, StatusCodes.Status404NotFound, "not found", NotFoundHint);
            return;
        }

        LogIgnored(logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(message));
        WebhookReceiverMetrics.Count(source, StatusCodes.Status202Accepted);
        await WebhookResponse.JsonAsync(context, StatusCodes.Status202Accepted, ("accepted", false), ("message", message), ("ref", @ref));
    }

    /// <summary>
    /// 400 naming the field, the value (escaped and cut: it may be half a megabyte or carry control characters) and
    /// the rule it breaks. Nothing reaches a grain or the log.
    /// </summary>
    private static Task RefuseInvalidAsync(HttpContext context, string source, string field, string value, string rule)
    {
        WebhookReceiverMetrics.Count(source, StatusCodes.Status400BadRequest);
        return WebhookResponse.JsonAsync(context, StatusCodes.Status400BadRequest,
            ("error", $"invalid {field}: {rule}"), ("field", field), ("rule", rule), ("value", UntrustedText.Sanitize(value)));
    }

    private static bool IsObjectId(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigit);

    private const string UnauthorizedHint =
        "sign the raw body with the shared secret (header X-Hub-Signature-256: sha256=<hex HMAC-SHA256>; GitHub: the hook's Secret field) or send Authorization: Bearer <token>";

    private const string NoRefHint =
        "send a GitHub push or release event (content type application/json or application/x-www-form-urlencoded), an ArgoCD or Kargo notification, or {\"ref\":\"<branch, tag or commit>\"}";

    private const string NotFoundHint = "no GatewaySync of that name in that namespace: the URL is /webhook/<namespace>/<GatewaySync name>";

    private static Task RefuseAsync(HttpContext context, string source, int statusCode, string error, string hint)
    {
        WebhookReceiverMetrics.Count(source, statusCode);
        return WebhookResponse.ErrorAsync(context, statusCode, error, hint);
    }

    /// <summary>The resource, or null when it does not exist or cannot be read (the original answers 404 for any error).</summary>
    private async Task<GatewaySync?> LookUpAsync(string ns, string name, string key)
    {
        // A name Kubernetes would refuse cannot exist; do not activate a grain for it.
        if (!KubernetesNames.IsDnsSubdomain(ns, out _) || !KubernetesNames.IsDnsSubdomain(name, out _))
        {
            return null;
        }

        try
        {
            // Ask the registry of applied resources first: a name nobody applied must not activate (and, on
            // PostgreSQL, read storage for) a GatewaySync grain of its own, or unauthenticated requests to random
            // names cost a grain each. The registry is one grain whatever the names.
            var known = await grains.GetGrain<IGatewaySyncRegistryGrain>(IGatewaySyncRegistryGrain.AllKey).List(ns);
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                return null;
            }

            return await grains.GetGrain<IGatewaySyncGrain>(key).Get();
        }
        catch (Exception e)
        {
            LogLookupFailed(logger, UntrustedText.Sanitize(key), e);
            return null;
        }
    }

    /// <summary>
    /// A resource naming its own Secret is checked against that Secret's <c>hmac</c>/<c>token</c> only (and refuses
    /// everything while the Secret holds neither); any other request, known resource or not, against the global
    /// secrets; with no secret at all, only insecure mode admits it. So an unauthorized caller gets 401 whether or not
    /// the resource exists.
    /// </summary>
    private async Task<bool> AuthorizeAsync(GatewaySync? resource, string key, ReadOnlyMemory<byte> body, string? signature, string? authorization, CancellationToken cancellationToken)
    {
        if (resource?.Metadata.Annotations?.GetValueOrDefault(Annotations.WebhookSecret) is { Length: > 0 } secretName)
        {
            var own = await ReadOwnCredentialsAsync(resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace, secretName, key, cancellationToken);
            return own.IsConfigured && own.Authorize(body.Span, signature, authorization);
        }

        return _global.IsConfigured ? _global.Authorize(body.Span, signature, authorization) : _options.AllowUnauthenticated;
    }

    private async Task<WebhookCredentials> ReadOwnCredentialsAsync(string ns, string secretName, string key, CancellationToken cancellationToken)
    {
        try
        {
            var credentials = new WebhookCredentials(
                TrimLineEnd(await secrets.ReadAsync(ns, secretName, HmacSecretKey, cancellationToken)),
                TrimLineEnd(await secrets.ReadAsync(ns, secretName, BearerTokenKey, cancellationToken)));
            if (!credentials.IsConfigured)
            {
                LogOwnSecretMissing(logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(secretName));
            }

            return credentials;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecretReadException)
        {
            LogOwnSecretUnreadable(logger, UntrustedText.Sanitize(key), UntrustedText.Sanitize(secretName), UntrustedText.Sanitize(e.Message));
            return WebhookCredentials.None;
        }
    }

    /// <summary>A Secret file written with <c>echo</c> ends in a newline that is not part of the secret.</summary>
    private static string? TrimLineEnd(string? value) => value?.TrimEnd('\r', '\n');

    private static string? SingleHeader(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    /// <summary>Reads up to <paramref name="limit"/> bytes; the rest of the body is left unread (discarded).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(limit, 16 * 1024)];
        var total = 0;
        while (total < limit)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(limit, buffer.Length * 2L));
            }

            var read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return buffer.AsMemory(0, total);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for {Key} from {Source}: ref {Ref} (commit {Commit}) requested")]
    private static partial void LogAccepted(ILogger logger, string key, string source, string @ref, string? commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for {Key}: {Message}")]
    private static partial void LogIgnored(ILogger logger, string key, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook for {Key}: unauthorized")]
    private static partial void LogUnauthorized(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook for {Namespace}/{Name}: body unreadable: {Error}")]
    private static partial void LogBodyUnreadable(ILogger logger, string @namespace, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for {Key}: looking the resource up failed; answering as not found")]
    private static partial void LogLookupFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook for {Key}: requesting ref {Ref} failed")]
    private static partial void LogRequestFailed(ILogger logger, string key, string @ref, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for {Key}: Secret \"{SecretName}\" named by stoker.io/webhook-secret has neither key \"hmac\" nor \"token\"; every webhook for this resource is refused")]
    private static partial void LogOwnSecretMissing(ILogger logger, string key, string secretName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook for {Key}: Secret \"{SecretName}\" named by stoker.io/webhook-secret could not be read ({Error}); refusing")]
    private static partial void LogOwnSecretUnreadable(ILogger logger, string key, string secretName, string error);
}
