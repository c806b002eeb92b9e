using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api.Patching;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Api.Secrets;

/// <summary>
/// core/v1 Secrets in local mode (<c>/api/v1/namespaces/{ns}/secrets[/{name}]</c>): get, list, create, replace,
/// patch (merge, strategic merge, JSON patch, server-side apply) and delete, with dryRun, fieldManager,
/// fieldValidation and optimistic concurrency, stored in the secrets folder (docs/kubectl-writes.md).
/// </summary>
public sealed class SecretEndpoints(SecretFolderStore store, Stoker.Silo.Secrets.SecretChangeNotifier notifier, TimeProvider time, ILogger<SecretEndpoints> logger)
{
    public const string CorePath = "/api/v1";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(CorePath).WithMetadata(ApiAccess.Secrets);
        if (endpoints.ServiceProvider.HasStokerApiAuthentication())
        {
            api.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        api.MapGet("/" + SecretStatuses.Resource, (SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(null, r)));
        var collection = "/namespaces/{ns}/" + SecretStatuses.Resource;
        api.MapGet(collection, (string ns, SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(ns, r)));
        api.MapPost(collection, (string ns, SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.CreateAsync(ns, r)));
        var item = collection + "/{name}";
        api.MapGet(item, (string ns, string name, SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.GetAsync(ns, name, r)));
        api.MapPut(item, (string ns, string name, SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.ReplaceAsync(ns, name, r)));
        api.MapPatch(item, (string ns, string name, SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.PatchAsync(ns, name, r)));
        api.MapDelete(item, (string ns, string name, SecretEndpoints e, HttpRequest r) => e.Guard(r, () => e.DeleteAsync(ns, name, r)));
    }

    public async Task<IResult> ListAsync(string? ns, HttpRequest request)
    {
        if (ns is not null && GatewaySyncEndpoints.CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        var items = new JsonArray();
        foreach (var (itemNamespace, name) in store.List(ns))
        {
            if (await store.GetAsync(itemNamespace, name, request.HttpContext.RequestAborted) is { } secret)
            {
                items.Add(SecretCodec.ToNode(secret));
            }
        }

        return new ApiResponse(StatusCodes.Status200OK, new JsonObject
        {
            ["apiVersion"] = SecretCodec.ApiVersion,
            ["kind"] = SecretCodec.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
            ["items"] = items,
        });
    }

    public async Task<IResult> GetAsync(string ns, string name, HttpRequest request)
    {
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        return await store.GetAsync(ns, name, request.HttpContext.RequestAborted) is { } secret
            ? new ApiResponse(StatusCodes.Status200OK, SecretCodec.ToNode(secret))
            : ApiResponse.From(SecretStatuses.NotFound(name));
    }

    public async Task<IResult> CreateAsync(string ns, HttpRequest request)
    {
        if (GatewaySyncEndpoints.CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        var (options, optionsError) = WriteOptions.Read(request, isApply: false);
        if (optionsError is not null)
        {
            return ApiResponse.From(optionsError);
        }

        var (body, error) = await ReadObjectAsync(request, checkMediaType: true);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        if (body!["metadata"] is JsonObject metadata && metadata["name"] is null && metadata["generateName"] is JsonValue prefix
            && prefix.GetValueKind() == JsonValueKind.String)
        {
            metadata["name"] = prefix.GetValue<string>() + System.Security.Cryptography.RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5);
        }

        Audit.AuditObjectName.Set(request.HttpContext, (body["metadata"] as JsonObject)?["name"] is JsonValue named && named.GetValueKind() == JsonValueKind.String ? named.GetValue<string>() : null);

        var decoded = Decode(request, body, ns, null, options!);
        if (decoded.Error is not null)
        {
            return ApiResponse.From(decoded.Error);
        }

        return await store.ExclusiveAsync(async () =>
        {
            var existing = await store.GetAsync(ns, decoded.Secret!.Name, request.HttpContext.RequestAborted);
            return existing is not null
                ? ApiResponse.From(SecretStatuses.AlreadyExists(decoded.Secret.Name))
                : await UpdateAsync(request, decoded.Secret, null, options!);
        });
    }

    public async Task<IResult> ReplaceAsync(string ns, string name, HttpRequest request)
    {
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        var (options, optionsError) = WriteOptions.Read(request, isApply: false);
        if (optionsError is not null)
        {
            return ApiResponse.From(optionsError);
        }

        var (body, error) = await ReadObjectAsync(request, checkMediaType: true);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        var decoded = Decode(request, body!, ns, name, options!);
        if (decoded.Error is not null)
        {
            return ApiResponse.From(decoded.Error);
        }

        return await store.ExclusiveAsync(async () =>
        {
            var existing = await store.GetAsync(ns, name, request.HttpContext.RequestAborted);
            return Stale(body!, existing) ?? await UpdateAsync(request, decoded.Secret!, existing, options!);
        });
    }

    public async Task<IResult> PatchAsync(string ns, string name, HttpRequest request)
    {
        var (parts, refusal) = await PatchRequest.ReadAsync(request, ns, name, PatchMediaTypes.BuiltIn);
        if (refusal is not null)
        {
            return refusal;
        }

        var (type, isApply, options, text) = (parts!.Type, parts.IsApply, parts.Options, parts.Text);

        JsonNode patch;
        try
        {
            patch = SecretBody.Parse(text!);
        }
        catch (ResourceFormatException e)
        {
            return ApiResponse.From(ApiStatuses.BadRequest($"the patch is not valid JSON or YAML: {e.Message}", name));
        }

        return await store.ExclusiveAsync(async () =>
        {
            var existing = await store.GetAsync(ns, name, request.HttpContext.RequestAborted);
            if (isApply)
            {
                return await ServerSideApplyAsync(request, ns, name, patch, existing, options!);
            }

            if (existing is null)
            {
                return ApiResponse.From(SecretStatuses.NotFound(name));
            }

            var live = SecretCodec.ToNode(existing);
            JsonNode? patched;
            try
            {
                patched = type switch
                {
                    PatchMediaTypes.MergePatch => JsonMergePatch.Apply(live, patch),
                    PatchMediaTypes.StrategicMergePatch => StrategicMergePatch.Apply(live, patch),
                    _ => JsonPatchDocument.Apply(live, patch),
                };
            }
            catch (PatchException e)
            {
                return ApiResponse.From(WriteStatuses.PatchFailed(e, name));
            }

            if (patched is not JsonObject body)
            {
                return ApiResponse.From(ApiStatuses.BadRequest("the patched Secret is not an object", name));
            }

            if (Stale(body, existing) is { } stale)
            {
                return stale;
            }

            var decoded = Decode(request, body, ns, name, options!);
            return decoded.Error is not null ? ApiResponse.From(decoded.Error) : await UpdateAsync(request, decoded.Secret!, existing, options!);
        });
    }

    public async Task<IResult> DeleteAsync(string ns, string name, HttpRequest request)
    {
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        var (options, optionsError) = WriteOptions.Read(request, isApply: false);
        if (optionsError is not null)
        {
            return ApiResponse.From(optionsError);
        }

        return await store.ExclusiveAsync<IResult>(async () =>
        {
            if (await store.GetAsync(ns, name, request.HttpContext.RequestAborted) is not { } existing)
            {
                return ApiResponse.From(SecretStatuses.NotFound(name));
            }

            if (!options!.DryRun)
            {
                store.Delete(ns, name);
                SecretsLog.Deleted(logger, ns, name);
                notifier.Notify(ns, name);
            }

            return ApiResponse.From(SecretStatuses.Deleted(name, existing.Uid));
        });
    }

    private async Task<IResult> ServerSideApplyAsync(HttpRequest request, string ns, string name, JsonNode patch, SecretObject? existing, WriteOptions options)
    {
        if (patch is not JsonObject applied)
        {
            return ApiResponse.From(ApiStatuses.BadRequest($"the applied configuration must be an object, found {StructuralValidator.Render(patch)}", name));
        }

        if (Text(applied["apiVersion"]) is not SecretCodec.ApiVersion || Text(applied["kind"]) is not SecretCodec.Kind)
        {
            return ApiResponse.From(ApiStatuses.BadRequest("the applied configuration must name apiVersion \"v1\" and kind \"Secret\"", name));
        }

        // Checked like a whole Secret first (names, keys, base64, unknown fields), then merged by ownership.
        var check = Decode(request, applied, ns, name, options);
        if (check.Error is not null)
        {
            return ApiResponse.From(check.Error);
        }

        if (Stale(applied, existing) is { } stale)
        {
            return stale;
        }

        // stringData is a way to write data: owned as the data keys it sets.
        var normalized = applied.DeepClone().AsObject();
        if (normalized["stringData"] is JsonObject stringData)
        {
            if (normalized["data"] is not JsonObject data)
            {
                data = [];
                normalized["data"] = data;
            }

            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(value) ?? ""));
            }

            normalized.Remove("stringData");
        }

        var live = existing is null ? null : FieldOwnership.Trackable(SecretCodec.ToNode(existing));
        var outcome = FieldOwnership.Apply(live, FieldOwnership.Trackable(normalized), existing?.ManagedFields, options.Manager, SecretCodec.ApiVersion, options.Force, time.GetUtcNow());
        if (outcome.Conflicts.Count > 0)
        {
            return ApiResponse.From(WriteStatuses.ApplyConflict(SecretStatuses.Resource, "", name, outcome.Conflicts));
        }

        var merged = outcome.Result!;
        merged["apiVersion"] = SecretCodec.ApiVersion;
        merged["kind"] = SecretCodec.Kind;
        if (merged["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            merged["metadata"] = metadata;
        }

        metadata["name"] = name;
        var decoded = SecretCodec.Decode(merged, ns, name, FieldValidation.Ignore);
        if (decoded.Error is not null)
        {
            return ApiResponse.From(decoded.Error);
        }

        return await StoreAsync(decoded.Secret! with { ManagedFields = outcome.ManagedFields }, existing, options);
    }

    private async Task<IResult> UpdateAsync(HttpRequest request, SecretObject secret, SecretObject? existing, WriteOptions options)
    {
        _ = request;
        var owners = secret.ManagedFields ?? existing?.ManagedFields;
        var live = existing is null ? null : FieldOwnership.Trackable(SecretCodec.ToNode(existing));
        var next = FieldOwnership.Trackable(SecretCodec.ToNode(secret));
        var managed = FieldOwnership.Update(live, next, owners, options.Manager, SecretCodec.ApiVersion, time.GetUtcNow());
        return await StoreAsync(secret with { ManagedFields = managed.Count == 0 ? null : managed }, existing, options);
    }

    private async Task<IResult> StoreAsync(SecretObject secret, SecretObject? existing, WriteOptions options)
    {
        if (existing?.Immutable == true
            && (secret.Immutable != true || secret.Type != existing.Type || !SameData(secret.Data, existing.Data)))
        {
            return ApiResponse.From(SecretStatuses.Invalid(secret.Name, [new("data", null, "field is immutable when `immutable` is set")]));
        }

        if (existing is not null && secret.Type != existing.Type)
        {
            return ApiResponse.From(SecretStatuses.Invalid(secret.Name, [new("type", $"\"{secret.Type}\"", "field is immutable")]));
        }

        var full = secret with
        {
            Uid = existing?.Uid ?? Guid.NewGuid().ToString(),
            CreationTimestamp = existing?.CreationTimestamp ?? KubeTimeJsonConverter.Truncate(time.GetUtcNow()),
            ResourceVersion = existing?.ResourceVersion,
        };
        if (!options.DryRun)
        {
            full = await store.WriteAsync(full, existing, CancellationToken.None);
            SecretsLog.Written(logger, full.Namespace, full.Name, existing is null ? "created" : "configured", full.Data.Count);
            notifier.Notify(full.Namespace, full.Name);
        }

        return new ApiResponse(existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, SecretCodec.ToNode(full));
    }

    private static bool SameData(IReadOnlyDictionary<string, byte[]> a, IReadOnlyDictionary<string, byte[]> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && p.Value.AsSpan().SequenceEqual(other));

    private static SecretDecodeResult Decode(HttpRequest request, JsonObject body, string ns, string? name, WriteOptions options)
    {
        var decoded = SecretCodec.Decode(body, ns, name, options.Validation);
        foreach (var warning in decoded.Warnings)
        {
            request.HttpContext.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }

        return decoded;
    }

    private static ApiResponse? Stale(JsonObject body, SecretObject? existing)
    {
        var sent = Text((body["metadata"] as JsonObject)?["resourceVersion"]);
        return string.IsNullOrEmpty(sent) || existing is null || sent == existing.ResourceVersion
            ? null
            : ApiResponse.From(WriteStatuses.Modified(SecretStatuses.Resource, "", existing.Name));
    }

    private static async Task<(JsonObject? Body, ApiStatus? Error)> ReadObjectAsync(HttpRequest request, bool checkMediaType)
    {
        var (text, error) = checkMediaType ? await ApiRequestBody.ReadAsync(request) : await ApiRequestBody.ReadTextAsync(request);
        if (error is not null)
        {
            return (null, error);
        }

        try
        {
            return SecretBody.Parse(text!) is JsonObject body
                ? (body, null)
                : (null, ApiStatuses.BadRequest("the request body must be one Secret object"));
        }
        catch (ResourceFormatException e)
        {
            return (null, ApiStatuses.BadRequest($"the request body is not valid YAML or JSON: {e.Message}"));
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>503 without a secrets folder; the folder's I/O failures as a 500 Status that names no value.</summary>
    private async Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler)
    {
        if (store.Root is null)
        {
            return ApiResponse.From(SecretStatuses.NotConfigured());
        }

        try
        {
            return await ApiGuard.RunAsync(logger, request, handler);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            SecretsLog.Unreadable(logger, request.RouteValues["ns"] as string ?? "", request.RouteValues["name"] as string ?? "", e.Message);
            return ApiResponse.From(new ApiStatus
            {
                Code = StatusCodes.Status500InternalServerError,
                Reason = "InternalError",
                Message = $"the secrets folder could not be used: {e.Message}",
            });
        }
    }
}
