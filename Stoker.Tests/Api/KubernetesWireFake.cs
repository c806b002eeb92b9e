using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Stoker.Tests.Api;

/// <summary>
/// A server that answers the standard Kubernetes contract for core/v1 Secrets (POST creates or answers 409
/// AlreadyExists; PUT replaces or answers 404 NotFound; DELETE) and GatewaySyncs (PUT creates or replaces; DELETE),
/// in real Kubernetes JSON, recording every request: what <c>stoker</c> must send a silo, checked at the wire.
/// </summary>
public sealed class KubernetesWireFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonNode> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();

    private KubernetesWireFake(WebApplication app) => _app = app;

    public Uri Address => new(_app.Urls.Single());

    /// <summary>Every request so far, as <c>METHOD path</c>.</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    public bool Holds(string path) => _objects.ContainsKey(path);

    public JsonNode? Get(string path) => _objects.GetValueOrDefault(path);

    public static async Task<KubernetesWireFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new KubernetesWireFake(app);
        app.Use(async (context, next) =>
        {
            fake._requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            await next(context);
        });
        app.MapPost("/api/v1/namespaces/{ns}/secrets", fake.CreateSecretAsync);
        app.MapPut("/api/v1/namespaces/{ns}/secrets/{name}", fake.ReplaceSecretAsync);
        app.MapDelete("/api/v1/namespaces/{ns}/secrets/{name}", (string ns, string name) => fake.Delete($"/api/v1/namespaces/{ns}/secrets/{name}", "secrets", "", name));
        app.MapPut("/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}", fake.PutGatewaySyncAsync);
        app.MapDelete("/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}",
            (string ns, string name) => fake.Delete($"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}", "gatewaysyncs", "stoker.io", name));
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> CreateSecretAsync(string ns, HttpRequest request)
    {
        var body = await ReadAsync(request);
        var name = (string?)body["metadata"]?["name"] ?? "generated-" + Guid.NewGuid().ToString("N")[..5];
        body["metadata"]!["name"] = name;
        var path = $"/api/v1/namespaces/{ns}/secrets/{name}";
        return _objects.TryAdd(path, body)
            ? Results.Json(body, statusCode: 201)
            : Status(409, "AlreadyExists", $"secrets \"{name}\" already exists", "secrets", "", name);
    }

    private async Task<IResult> ReplaceSecretAsync(string ns, string name, HttpRequest request)
    {
        var path = $"/api/v1/namespaces/{ns}/secrets/{name}";
        if (!_objects.ContainsKey(path))
        {
            return Status(404, "NotFound", $"secrets \"{name}\" not found", "secrets", "", name);
        }

        var body = await ReadAsync(request);
        _objects[path] = body;
        return Results.Json(body);
    }

    private async Task<IResult> PutGatewaySyncAsync(string ns, string name, HttpRequest request)
    {
        var body = await ReadAsync(request);
        var path = $"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{name}";
        var existed = _objects.ContainsKey(path);
        _objects[path] = body;
        return Results.Json(body, statusCode: existed ? 200 : 201);
    }

    private IResult Delete(string path, string resource, string group, string name) =>
        _objects.TryRemove(path, out _)
            ? Results.Json(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success", ["details"] = new JsonObject { ["name"] = name, ["kind"] = resource } })
            : Status(404, "NotFound", $"{resource}{(group.Length > 0 ? "." + group : "")} \"{name}\" not found", resource, group, name);

    private static IResult Status(int code, string reason, string message, string kind, string group, string name) => Results.Json(new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind },
        ["code"] = code,
    }, statusCode: code);

    private static async Task<JsonNode> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return JsonNode.Parse(await reader.ReadToEndAsync())!;
    }
}
