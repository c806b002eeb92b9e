using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api.Patching;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Api;

/// <summary>
/// The GatewaySync routes of the apply API, shaped like the Kubernetes API for the custom resource so that manifests,
/// URLs and habits carry over: create, replace, patch (merge, JSON, server-side apply), and delete, with
/// <c>dryRun</c>, <c>fieldManager</c>, <c>fieldValidation</c>, optimistic concurrency and managedFields
/// (docs/kubectl-writes.md), answering with resources or Status objects.
/// </summary>
public sealed class GatewaySyncEndpoints(GatewaySyncStore store, TimeProvider time, ILogger<GatewaySyncEndpoints> logger) : IDisposable
{
    /// <summary>
    /// Writes to one name are serialized within this silo (read, check the resourceVersion and owners, store), so the
    /// optimistic concurrency check and server-side apply's ownership see no write in between. Striped: a bounded
    /// number of locks whatever the number of resources.
    /// </summary>
    private readonly SemaphoreSlim[] _writeLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public const string GroupVersionPath = "/apis/" + GatewaySync.Group + "/" + GatewaySync.Version;
    public const string ListKind = GatewaySync.KindValue + "List";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // What the routes serve, for authorization (Stoker.Silo.Authentication); where the silo composed it, its
        // policy is required explicitly too, so the routes never run without the authorization middleware.
        var api = endpoints.MapGroup(GroupVersionPath).WithMetadata(ApiAccess.GatewaySyncs);
        if (endpoints.ServiceProvider.HasStokerApiAuthentication())
        {
            api.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        // Reads (list, get, watch, tables) are GatewaySyncReadEndpoints'; writes are here.
        GatewaySyncReadEndpoints.Map(api);
        var collection = "/namespaces/{ns}/" + GatewaySync.Plural;
        api.MapPost(collection, (string ns, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.CreateAsync(ns, r)));
        var item = collection + "/{name}";
        api.MapPut(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.LockedAsync(ns, name, () => e.ReplaceAsync(ns, name, r))));
        api.MapPatch(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.LockedAsync(ns, name, () => e.PatchAsync(ns, name, r))));
        api.MapDelete(item, (string ns, string name, GatewaySyncEndpoints e, HttpRequest r) => e.Guard(r, () => e.LockedAsync(ns, name, () => e.DeleteAsync(ns, name, r))));
    }

    public async Task<IResult> CreateAsync(string ns, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        var (options, optionsError) = WriteOptions.Read(request, isApply: false);
        if (optionsError is not null)
        {
            return ApiResponse.From(optionsError);
        }

        var (body, error) = await ReadBodyAsync(request, ns, null);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        var name = Text((body!["metadata"] as JsonObject)?["name"]);
        Audit.AuditObjectName.Set(request.HttpContext, name);
        if (name is null || !KubernetesNames.IsDnsSubdomain(name, out _))
        {
            // Refused by the checks with every violation; nothing is stored.
            return await UpdateAsync(request, body, name, null, options!);
        }

        return await LockedAsync(ns, name, async () => await store.GetAsync(ns, name) is not null
            ? ApiResponse.From(ApiStatuses.AlreadyExists(name))
            : await UpdateAsync(request, body, name, null, options!));
    }

    public void Dispose()
    {
        foreach (var gate in _writeLocks)
        {
            gate.Dispose();
        }
    }

    private async Task<IResult> LockedAsync(string ns, string name, Func<Task<IResult>> write)
    {
        var gate = _writeLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(ns + "/" + name) % (uint)_writeLocks.Length)];
        await gate.WaitAsync();
        try
        {
            return await write();
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<IResult> ReplaceAsync(string ns, string name, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((CheckUrlName("namespace", ns) ?? CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        var (options, optionsError) = WriteOptions.Read(request, isApply: false);
        if (optionsError is not null)
        {
            return ApiResponse.From(optionsError);
        }

        var (body, error) = await ReadBodyAsync(request, ns, name);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        var existing = await store.GetAsync(ns, name);
        if (Stale(body!, existing) is { } stale)
        {
            return stale;
        }

        return await UpdateAsync(request, body!, name, existing, options!);
    }

    public async Task<IResult> PatchAsync(string ns, string name, HttpRequest request)
    {
        var (parts, refusal) = await PatchRequest.ReadAsync(request, ns, name, PatchMediaTypes.CustomResource);
        if (refusal is not null)
        {
            return refusal;
        }

        var (type, isApply, options, text) = (parts!.Type, parts.IsApply, parts.Options, parts.Text);

        JsonNode patch;
        try
        {
            var documents = YamlJson.ReadAll(text!);
            if (documents.Count != 1)
            {
                return ApiResponse.From(ApiStatuses.BadRequest($"the patch must be one document, found {documents.Count}", name));
            }

            patch = documents[0];
        }
        catch (ResourceFormatException e)
        {
            return ApiResponse.From(ApiStatuses.BadRequest($"the patch is not valid JSON or YAML: {e.Message}", name));
        }

        var existing = await store.GetAsync(ns, name);
        if (isApply)
        {
            return await ServerSideApplyAsync(request, ns, name, patch, existing, options!);
        }

        if (existing is null)
        {
            return ApiResponse.From(ApiStatuses.NotFound(name));
        }

        var live = GatewaySyncSerializer.ToNode(existing);
        live.Remove("status");
        JsonNode? patched;
        try
        {
            patched = type == PatchMediaTypes.MergePatch ? JsonMergePatch.Apply(live, patch) : JsonPatchDocument.Apply(live, patch);
        }
        catch (PatchException e)
        {
            return ApiResponse.From(WriteStatuses.PatchFailed(e, name));
        }

        // The patched object goes through the same reading as a PUT body: one object, the URL's name and namespace.
        var (body, error) = ApplyRequestReader.ReadObject(patched?.ToJsonString() ?? "null", ns, name);
        if (error is not null)
        {
            return ApiResponse.From(error);
        }

        if (Stale(body!, existing) is { } stale)
        {
            return stale;
        }

        return await UpdateAsync(request, body!, name, existing, options!);
    }

    public async Task<IResult> DeleteAsync(string ns, string name, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((CheckUrlName("namespace", ns) ?? CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        var (options, optionsError) = WriteOptions.Read(request, isApply: false);
        if (optionsError is not null)
        {
            return ApiResponse.From(optionsError);
        }

        if (options!.DryRun)
        {
            return await store.GetAsync(ns, name) is { } found
                ? ApiResponse.From(ApiStatuses.Deleted(name, found.Metadata.Uid))
                : ApiResponse.From(ApiStatuses.NotFound(name));
        }

        if (await store.DeleteAsync(ns, name) is not { } deleted)
        {
            return ApiResponse.From(ApiStatuses.NotFound(name));
        }

        ApplyApiLog.Deleted(logger, GrainKeys.GatewaySync(ns, name));
        return ApiResponse.From(ApiStatuses.Deleted(name, deleted.Metadata.Uid));
    }

    /// <summary>
    /// Server-side apply: the applied fields merged by ownership (<see cref="FieldOwnership.Apply"/>), then checked
    /// like any write. Creates the object when it does not exist.
    /// </summary>
    private async Task<IResult> ServerSideApplyAsync(HttpRequest request, string ns, string name, JsonNode patch, GatewaySync? existing, WriteOptions options)
    {
        if (patch is not JsonObject applied)
        {
            return ApiResponse.From(ApiStatuses.BadRequest($"the applied configuration must be an object, found {StructuralValidator.Render(patch)}", name));
        }

        if (Text(applied["apiVersion"]) != GatewaySync.ApiVersionValue || Text(applied["kind"]) != GatewaySync.KindValue)
        {
            return ApiResponse.From(ApiStatuses.BadRequest(
                $"the applied configuration must name apiVersion \"{GatewaySync.ApiVersionValue}\" and kind \"{GatewaySync.KindValue}\", found {StructuralValidator.Render(applied["apiVersion"])} and {StructuralValidator.Render(applied["kind"])}", name));
        }

        if (applied["metadata"] is JsonObject metadata)
        {
            if (Text(metadata["name"]) is { } bodyName && bodyName != name)
            {
                return ApiResponse.From(ApiStatuses.BadRequest($"metadata.name \"{bodyName}\" in the body does not match the name \"{name}\" in the URL", name));
            }

            if (Text(metadata["namespace"]) is { } bodyNamespace && bodyNamespace != ns)
            {
                return ApiResponse.From(ApiStatuses.BadRequest($"metadata.namespace \"{bodyNamespace}\" in the body does not match the namespace \"{ns}\" in the URL", name));
            }

            if (Stale(applied, existing) is { } stale)
            {
                return stale;
            }
        }
        else if (applied["metadata"] is not null)
        {
            return ApiResponse.From(ApiStatuses.BadRequest($"metadata must be an object, found {StructuralValidator.Render(applied["metadata"])}", name));
        }

        var live = existing is null ? null : FieldOwnership.Trackable(GatewaySyncSerializer.ToNode(existing));
        var outcome = FieldOwnership.Apply(live, FieldOwnership.Trackable(applied), existing?.Metadata.ManagedFields, options.Manager,
            GatewaySync.ApiVersionValue, options.Force, time.GetUtcNow());
        if (outcome.Conflicts.Count > 0)
        {
            return ApiResponse.From(WriteStatuses.ApplyConflict(GatewaySync.Plural, GatewaySync.Group, name, outcome.Conflicts));
        }

        var merged = outcome.Result!;
        merged["apiVersion"] = GatewaySync.ApiVersionValue;
        merged["kind"] = GatewaySync.KindValue;
        if (merged["metadata"] is not JsonObject mergedMetadata)
        {
            mergedMetadata = [];
            merged["metadata"] = mergedMetadata;
        }

        mergedMetadata["name"] = name;
        mergedMetadata["namespace"] = ns;
        var decoded = Decode(request, merged, name, options);
        if (decoded.Error is not null)
        {
            return ApiResponse.From(decoded.Error);
        }

        var resource = decoded.Resource! with { Metadata = decoded.Resource!.Metadata with { ManagedFields = outcome.ManagedFields } };
        return await StoreAsync(resource, existing, options);
    }

    /// <summary>A create, replace or non-apply patch: checked, its manager recorded as an <c>Update</c>, stored (or not, under dryRun).</summary>
    private async Task<IResult> UpdateAsync(HttpRequest request, JsonObject body, string? name, GatewaySync? existing, WriteOptions options)
    {
        var decoded = Decode(request, body, name, options);
        if (decoded.Error is not null)
        {
            return ApiResponse.From(decoded.Error);
        }

        var resource = decoded.Resource!;

        // managedFields sent with the object replace the stored ones (an empty list clears them), as on the API server;
        // left out, the stored ones carry over.
        var owners = resource.Metadata.ManagedFields ?? existing?.Metadata.ManagedFields;
        var live = existing is null ? null : FieldOwnership.Trackable(GatewaySyncSerializer.ToNode(existing));
        var next = FieldOwnership.Trackable(GatewaySyncSerializer.ToNode(resource));
        var managed = FieldOwnership.Update(live, next, owners, options.Manager, GatewaySync.ApiVersionValue, time.GetUtcNow());
        resource = resource with { Metadata = resource.Metadata with { ManagedFields = managed.Count == 0 ? null : managed } };
        return await StoreAsync(resource, existing, options);
    }

    private async Task<IResult> StoreAsync(GatewaySync resource, GatewaySync? existing, WriteOptions options)
    {
        GatewaySync stored;
        if (options.DryRun)
        {
            stored = WouldBe(resource, existing);
        }
        else
        {
            stored = await store.ApplyAsync(resource);
            ApplyApiLog.Applied(logger, stored.Key, existing is null ? "created" : "configured", stored.Metadata.Generation);
        }

        return Resource(existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, stored);
    }

    /// <summary>What the grain would store and answer, for a dry run: the server's metadata filled in, the status kept.</summary>
    private GatewaySync WouldBe(GatewaySync resource, GatewaySync? existing)
    {
        var sameSpec = existing is not null && JsonNode.DeepEquals(GatewaySyncSerializer.ToNode(existing)["spec"], GatewaySyncSerializer.ToNode(resource)["spec"]);
        return resource with
        {
            Status = existing?.Status,
            Metadata = resource.Metadata with
            {
                Uid = existing?.Metadata.Uid ?? Guid.NewGuid().ToString(),
                CreationTimestamp = existing?.Metadata.CreationTimestamp ?? KubeTimeJsonConverter.Truncate(time.GetUtcNow()),
                Generation = existing is null ? 1 : sameSpec ? existing.Metadata.Generation : (existing.Metadata.Generation ?? 1) + 1,
                ResourceVersion = existing?.Metadata.ResourceVersion,
            },
        };
    }

    private static DecodeResult Decode(HttpRequest request, JsonObject body, string? name, WriteOptions options)
    {
        var decoded = GatewaySyncDecoder.Decode(body, name, options.Validation);
        foreach (var warning in decoded.Warnings)
        {
            // RFC 7234 warn-text, as the API server sends it and kubectl prints it ("Warning: unknown field ...").
            request.HttpContext.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }

        return decoded;
    }

    /// <summary>409 when the body names a resourceVersion that is not the stored one (optimistic concurrency).</summary>
    private static ApiResponse? Stale(JsonObject body, GatewaySync? existing)
    {
        var sent = Text((body["metadata"] as JsonObject)?["resourceVersion"]);
        return string.IsNullOrEmpty(sent) || existing is null || sent == existing.Metadata.ResourceVersion
            ? null
            : ApiResponse.From(WriteStatuses.Modified(GatewaySync.Plural, GatewaySync.Group, existing.Metadata.Name!));
    }

    private static async Task<(JsonObject? Body, ApiStatus? Error)> ReadBodyAsync(HttpRequest request, string ns, string? name)
    {
        var (text, error) = await ApiRequestBody.ReadAsync(request);
        return error is not null ? (null, error) : ApplyRequestReader.ReadObject(text!, ns, name);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>
    /// Names in the URL become grain keys (<c>{namespace}/{name}</c>), so they must be valid names before they are
    /// used; a decoded <c>%2F</c> would otherwise address another key.
    /// </summary>
    internal static ApiResponse? CheckUrlName(string what, string value) =>
        KubernetesNames.IsDnsSubdomain(value, out var rule)
            ? null
            : ApiResponse.From(ApiStatuses.BadRequest($"{what} \"{value}\" in the URL: {rule}"));

    internal static ApiResponse Resource(int statusCode, GatewaySync resource) => new(statusCode, GatewaySyncSerializer.ToNode(resource));

    private Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler) => ApiGuard.RunAsync(logger, request, handler);
}
