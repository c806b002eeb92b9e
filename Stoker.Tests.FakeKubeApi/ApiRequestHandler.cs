using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>Turns one HTTP request into store operations and writes the Kubernetes-shaped answer.</summary>
public sealed class ApiRequestHandler
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    // Escape as Go's encoder does (quotes as \", not \u0022), so bodies read like a real API server's.
    private static readonly JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FakeKubeApiServer server;

    public ApiRequestHandler(FakeKubeApiServer server)
    {
        this.server = server;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        RequestTarget? target = null;
        string verb;
        try
        {
            target = RequestTarget.Parse(path);
            verb = Verb(request, target);
        }
        catch (KubeApiException)
        {
            verb = "unknown";
        }

        var record = new RecordedRequest(
            request.Method,
            path,
            request.QueryString.Value ?? string.Empty,
            verb,
            target?.Resource.Group,
            target?.Resource.Plural,
            target?.Subresource,
            target?.Namespace,
            target?.Name,
            request.ContentType,
            request.Query["fieldManager"].FirstOrDefault(),
            0)
        {
            BearerToken = request.Headers.Authorization.FirstOrDefault() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
                ? authorization["Bearer ".Length..]
                : null,
        };
        try
        {
            if (server.TakeInjectedFailure(record) is { } injected)
            {
                await WriteJsonAsync(context, injected.Code, StatusObject.Failure(injected.Code, ReasonFor(injected.Code), $"injected failure {injected.Code}"));
            }
            else if (target is null)
            {
                await HandleNonResourceAsync(context, path);
            }
            else
            {
                await HandleResourceAsync(context, target, verb);
            }
        }
        catch (KubeApiException e)
        {
            await WriteJsonAsync(context, e.Code, StatusObject.From(e));
        }
        catch (BadHttpRequestException e)
        {
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
            await WriteJsonAsync(context, code, StatusObject.Failure(code, code == 413 ? "RequestEntityTooLarge" : "BadRequest", e.Message));
        }
        catch (JsonException e)
        {
            await WriteJsonAsync(context, 400, StatusObject.Failure(400, "BadRequest", $"the request body is not valid JSON: {e.Message}"));
        }
        catch (InvalidOperationException e) when (!context.Response.HasStarted)
        {
            // JsonNode accessors throw this for a value of the wrong JSON type (e.g. a number where a string belongs).
            await WriteJsonAsync(context, 400, StatusObject.Failure(400, "BadRequest", e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (typically a watch it closed).
        }
        finally
        {
            server.Record(record with { StatusCode = context.Response.StatusCode });
        }
    }

    private static string Verb(HttpRequest request, RequestTarget? target)
    {
        if (target is null)
        {
            return request.Method.ToLowerInvariant();
        }

        var watch = request.Query["watch"].FirstOrDefault() is "1" or "true";
        return request.Method switch
        {
            "GET" when target.Name is null => watch ? "watch" : "list",
            "GET" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when target.Name is null => "deletecollection",
            "DELETE" => "delete",
            _ => throw new KubeApiException(405, "MethodNotAllowed", $"method {request.Method} is not supported"),
        };
    }

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    };

    private static KubeApiException NoSuchPath() => new(404, "NotFound", "the server could not find the requested resource");

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Wire), context.RequestAborted);
    }

    private async Task HandleNonResourceAsync(HttpContext context, string path)
    {
        if (path.StartsWith("/fake/", StringComparison.Ordinal))
        {
            await HandleControlAsync(context, path);
            return;
        }

        if (context.Request.Method != "GET")
        {
            throw NoSuchPath();
        }

        var trimmed = path.TrimEnd('/');
        JsonNode? body = trimmed switch
        {
            "/version" => Discovery.Version(server.Options.GitVersion),
            "/api" => Discovery.CoreVersions(server.Url.Host + ":" + server.Url.Port.ToString(CultureInfo.InvariantCulture)),
            "/api/v1" => Discovery.Resources(string.Empty, "v1"),
            "/apis" => Discovery.Groups(),
            _ => null,
        };
        if (body is null && trimmed is "/healthz" or "/readyz" or "/livez")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }

        if (body is null && trimmed == "/openapi/v3")
        {
            body = OpenApiDocuments.Index();
        }
        else if (body is null && trimmed.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            body = OpenApiDocuments.GroupVersion(trimmed["/openapi/v3/".Length..]);
        }

        var segments = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (body is null && segments.Length == 2 && segments[0] == "apis")
        {
            body = Discovery.Group(segments[1]);
        }
        else if (body is null && segments.Length == 3 && segments[0] == "apis")
        {
            body = Discovery.Resources(segments[1], segments[2]);
        }

        await WriteJsonAsync(context, 200, body ?? throw NoSuchPath());
    }

    /// <summary>The test hooks over HTTP, for a fake running as its own process (no such paths exist on a real API server).</summary>
    private async Task HandleControlAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        JsonNode result = (method, path) switch
        {
            ("GET", "/fake/requests") => JsonSerializer.SerializeToNode(server.Requests)!,
            ("POST", "/fake/compact") => Count("compactedThrough", Compacted()),
            ("POST", "/fake/drop-watches") => Count("dropped", server.DropWatches()),
            ("POST", "/fake/expire-watches") => Count("expired", server.ExpireWatches()),
            ("POST", "/fake/seed") => server.Seed(await ReadObjectAsync(context)),
            ("POST", "/fake/tokens") => RegisterToken(await ReadObjectAsync(context)),
            _ => throw NoSuchPath(),
        };
        await WriteJsonAsync(context, 200, result);

        long Compacted()
        {
            server.Compact();
            return server.Store.CompactedThrough;
        }

        static JsonObject Count(string name, long value) => new() { [name] = value };
    }

    /// <summary>Body: <c>{"token","namespace","serviceAccount","podName","audiences":[..]}</c>.</summary>
    private JsonObject RegisterToken(JsonObject body)
    {
        string Text(string key) => body[key]?.GetValue<string>() is { Length: > 0 } value ? value : throw new KubeApiException($"{key}: Required value");
        var audiences = body["audiences"] is JsonArray list ? list.Select(a => a!.GetValue<string>()).ToList() : [TokenIdentity.ApiServerAudience];
        server.RegisterToken(Text("token"), TokenIdentity.ForPod(Text("namespace"), Text("serviceAccount"), Text("podName"), audiences));
        return new JsonObject { ["registered"] = true };
    }

    private async Task HandleResourceAsync(HttpContext context, RequestTarget target, string verb)
    {
        var type = target.Resource;
        var store = server.Store;
        if (target.Subresource is not null && !(target.Subresource == "status" && type.HasStatus && verb is "get" or "update" or "patch"))
        {
            throw NoSuchPath();
        }

        if (type.Namespaced && target.Namespace is null && verb is not ("list" or "watch"))
        {
            throw NoSuchPath();
        }

        if (!type.Verbs.Contains(verb))
        {
            throw new KubeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({verb} {type.QualifiedName})");
        }

        var ns = target.Namespace ?? string.Empty;
        var query = context.Request.Query;
        switch (verb)
        {
            case "get" when target.Subresource is null && TableConverter.Wanted(context.Request.Headers.Accept):
                await WriteJsonAsync(context, 200, server.Tables.Convert(type, [store.Get(type, ns, target.Name!)], store.ResourceVersion, WantsFullObjects(context)));
                break;
            case "get" when target.Subresource is null && PartialMetadata.Wanted(context.Request.Headers.Accept):
                await WriteJsonAsync(context, 200, PartialMetadata.Of(store.Get(type, ns, target.Name!)));
                break;
            case "get":
                await WriteJsonAsync(context, 200, store.Get(type, ns, target.Name!));
                break;
            case "list":
                {
                    var (items, rv) = store.List(type, target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
                    var accept = context.Request.Headers.Accept.ToString();
                    await WriteJsonAsync(
                        context,
                        200,
                        TableConverter.Wanted(accept) ? server.Tables.Convert(type, items, rv, WantsFullObjects(context))
                        : PartialMetadata.Wanted(accept) ? PartialMetadata.List(items, FakeKubeApiServer.Version(rv))
                        : ListObject(type, items, rv));
                    break;
                }

            case "watch":
                await WatchAsync(context, target);
                break;
            case "create" when type == ResourceCatalog.TokenReviews:
                await WriteJsonAsync(context, 201, server.Tokens.Review(await ReadObjectAsync(context)));
                break;
            case "create" when type == ResourceCatalog.SubjectAccessReviews:
                await WriteJsonAsync(context, 201, server.Access.Review(await ReadObjectAsync(context)));
                break;
            case "create":
                {
                    var body = await ReadObjectAsync(context);
                    if (server.Admission.Applies(type, "CREATE"))
                    {
                        var metadata = body["metadata"] as JsonObject ?? new JsonObject();
                        body["metadata"] = metadata;
                        if (type.Namespaced)
                        {
                            metadata["namespace"] ??= ns;
                        }

                        body = await server.Admission.AdmitAsync(type, "CREATE", ns, metadata["name"]?.GetValue<string>() ?? string.Empty, body, null, context.RequestAborted);
                    }

                    await WriteJsonAsync(context, 201, IsDryRun(context) ? body : store.Create(type, ns, body));
                    break;
                }

            case "update" when target.Subresource is null && server.Admission.Applies(type, "UPDATE"):
                {
                    var body = await ReadObjectAsync(context);
                    await WriteJsonAsync(context, 200, await AdmittedUpdateAsync(target, _ => body, context.RequestAborted));
                    break;
                }

            case "update":
                await WriteJsonAsync(context, 200, store.Update(type, ns, target.Name!, await ReadObjectAsync(context), target.Subresource));
                break;
            case "patch":
                await WriteJsonAsync(context, 200, await PatchAsync(context, target));
                break;
            case "delete":
                {
                    var options = await ReadOptionalAsync(context);
                    var preconditions = options?["preconditions"];
                    await WriteJsonAsync(
                        context,
                        200,
                        store.Delete(type, ns, target.Name!, preconditions?["resourceVersion"]?.GetValue<string>(), preconditions?["uid"]?.GetValue<string>()));
                    break;
                }

            case "deletecollection":
                {
                    var (items, _) = store.List(type, target.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
                    var deleted = items.Select(item => store.Delete(type, item["metadata"]?["namespace"]?.GetValue<string>() ?? string.Empty, item["metadata"]!["name"]!.GetValue<string>(), null, null)).ToList();
                    await WriteJsonAsync(context, 200, ListObject(type, deleted, store.ResourceVersion));
                    break;
                }

            default:
                throw NoSuchPath();
        }
    }

    private static bool WantsFullObjects(HttpContext context) => context.Request.Query["includeObject"].FirstOrDefault() == "Object";

    private static bool IsDryRun(HttpContext context) => context.Request.Query["dryRun"].FirstOrDefault() == "All";

    private async Task<JsonObject> PatchAsync(HttpContext context, RequestTarget target)
    {
        var mediaType = (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
        Func<JsonNode?, JsonNode?, JsonNode?> apply = mediaType switch
        {
            "application/merge-patch+json" => JsonPatching.MergePatch,

            // Lists are replaced, not merged by key: enough for the maps (labels, annotations) clients patch this way.
            "application/strategic-merge-patch+json" => JsonPatching.MergePatch,
            "application/json-patch+json" => JsonPatching.JsonPatch,
            _ => throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got \"{mediaType}\")"),
        };
        var patch = await ReadNodeAsync(context);
        if (target.Subresource is null && server.Admission.Applies(target.Resource, "UPDATE"))
        {
            return await AdmittedUpdateAsync(
                target,
                current => apply(current, patch) as JsonObject ?? throw new KubeApiException(422, "Invalid", "the patch does not leave an object"),
                context.RequestAborted);
        }

        return server.Store.Patch(target.Resource, target.Namespace ?? string.Empty, target.Name!, current => apply(current, patch), target.Subresource);
    }

    /// <summary>
    /// A write with webhooks in the way: read, compute, admit (outside the store's lock), then store only if nothing
    /// changed meanwhile, retrying like the API server's guaranteed update when another write came first.
    /// </summary>
    private async Task<JsonObject> AdmittedUpdateAsync(RequestTarget target, Func<JsonObject, JsonObject> change, CancellationToken cancellation)
    {
        var (type, ns, name) = (target.Resource, target.Namespace ?? string.Empty, target.Name!);
        for (var attempt = 0; ; attempt++)
        {
            var current = server.Store.Get(type, ns, name);
            var proposed = change((JsonObject)current.DeepClone());
            var explicitVersion = proposed["metadata"]?["resourceVersion"]?.GetValue<string>();
            var admitted = await server.Admission.AdmitAsync(type, "UPDATE", ns, name, proposed, current, cancellation);
            try
            {
                return server.Store.Update(type, ns, name, admitted, null, current["metadata"]!["resourceVersion"]!.GetValue<string>());
            }
            catch (KubeApiException e) when (e.Code == 409 && string.IsNullOrEmpty(explicitVersion) && attempt < 5)
            {
                // Someone else wrote in between: recompute from the new state.
            }
        }
    }

    private async Task WatchAsync(HttpContext context, RequestTarget target)
    {
        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"].FirstOrDefault() is "true" or "1";
        var watcher = server.Store.Watch(
            target.Resource,
            target.Namespace,
            LabelSelector.Parse(query["labelSelector"]),
            FieldSelector.Parse(query["fieldSelector"]),
            query["resourceVersion"].FirstOrDefault(),
            bookmarks,
            server.Options.GoneAsErrorEvent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (int.TryParse(query["timeoutSeconds"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var metadataOnly = PartialMetadata.Wanted(context.Request.Headers.Accept.ToString());
        var bookmarker = bookmarks ? SendBookmarksAsync(watcher, timeout.Token) : Task.CompletedTask;
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(timeout.Token);
            await context.Response.Body.FlushAsync(timeout.Token);
            await foreach (var item in watcher.Reader.ReadAllAsync(timeout.Token))
            {
                var sent = metadataOnly ? PartialMetadata.Event(item) : item;
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(sent.ToJsonString(Wire)), timeout.Token);
                await context.Response.Body.WriteAsync(NewLine, timeout.Token);
                await context.Response.Body.FlushAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // timeoutSeconds ran out or the client left: the stream simply ends.
        }
        finally
        {
            server.Store.StopWatching(watcher);
            await timeout.CancelAsync();
            await bookmarker;
        }
    }

    private async Task SendBookmarksAsync(Watcher watcher, CancellationToken cancellation)
    {
        try
        {
            using var timer = new PeriodicTimer(server.Options.BookmarkInterval);
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                server.Store.Bookmark(watcher);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }

    private async Task<JsonNode?> ReadNodeAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            throw new KubeApiException("the request body is empty");
        }

        return JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = server.Options.MaxJsonDepth });
    }

    private async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadNodeAsync(context) as JsonObject ?? throw new KubeApiException("the request body must be a JSON object");

    private async Task<JsonObject?> ReadOptionalAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.Length == 0
            ? null
            : JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = server.Options.MaxJsonDepth }) as JsonObject;
    }

    private static JsonObject ListObject(ResourceType type, List<JsonObject> items, long rv) => new()
    {
        ["kind"] = type.Kind + "List",
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
        ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
    };
}
