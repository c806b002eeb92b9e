using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Events;
using Stoker.Grains.Interfaces.Events;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Authentication;
using Stoker.Silo.Kubernetes.Events;

namespace Stoker.Silo.Api.Events;

/// <summary>
/// Local mode's core/v1 Events about GatewaySyncs, read-only, as the API server serves them: lists (all namespaces or
/// one) with the field selectors <c>kubectl describe</c> sends (<c>involvedObject.name/namespace/kind/uid</c>), and
/// one Event by name. Events are those the events grains keep (<see cref="IGatewaySyncEventsGrain"/>); a GatewaySync
/// that no longer exists, or was created again under its name, shows none of its old events.
/// </summary>
public sealed class EventsEndpoints(GatewaySyncStore store, IGrainFactory grains, ILogger<EventsEndpoints> logger)
{
    public const string ListKind = "EventList";
    public const string Resource = "events";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api/v1").WithMetadata(ApiAccess.Events);
        if (endpoints.ServiceProvider.HasStokerApiAuthentication())
        {
            api.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        api.MapGet("/" + Resource, (EventsEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(null, r)));
        api.MapGet("/namespaces/{ns}/" + Resource, (string ns, EventsEndpoints e, HttpRequest r) => e.Guard(r, () => e.ListAsync(ns, r)));
        api.MapGet("/namespaces/{ns}/" + Resource + "/{name}", (string ns, string name, EventsEndpoints e, HttpRequest r) => e.Guard(r, () => e.GetAsync(ns, name)));
    }

    public async Task<IResult> ListAsync(string? ns, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ns is not null && GatewaySyncEndpoints.CheckUrlName("namespace", ns) is { } bad)
        {
            return bad;
        }

        if (IsWatch(request))
        {
            return ApiResponse.From(ApiStatuses.BadRequest("watching events is not supported by Stoker's local Events API; list them instead"));
        }

        if (EventFieldSelector.Parse(request.Query["fieldSelector"], out var error) is not { } selector)
        {
            return ApiResponse.From(ApiStatuses.BadRequest(error!));
        }

        // Events carry no labels: a label selector that requires anything matches none of them.
        var labelSelector = request.Query["labelSelector"].ToString();
        var items = new JsonArray();
        if (labelSelector.Length == 0 && selector.RequiredValue("involvedObject.kind") is null or GatewaySync.KindValue)
        {
            foreach (var (resource, @event) in await CollectAsync(ns ?? selector.RequiredValue("involvedObject.namespace") ?? selector.RequiredValue("metadata.namespace"),
                         selector.RequiredValue("involvedObject.name")))
            {
                if (selector.Matches(field => Field(field, resource, @event)))
                {
                    items.Add(ToNode(resource, @event));
                }
            }
        }

        return new ApiResponse(StatusCodes.Status200OK, new JsonObject
        {
            ["kind"] = ListKind,
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
            ["items"] = items,
        });
    }

    public async Task<IResult> GetAsync(string ns, string name)
    {
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return bad;
        }

        // The Event's name starts with its object's (cut when the object's name was long): only those objects are asked.
        if (EventNames.ObjectNamePrefix(name) is { } prefix)
        {
            var exact = prefix.Length < EventNames.MaxLength - EventNames.SuffixLength;
            foreach (var (resource, @event) in await CollectAsync(ns, exact ? prefix : null, exact ? null : prefix))
            {
                if (@event.Name == name)
                {
                    return new ApiResponse(StatusCodes.Status200OK, ToNode(resource, @event, withType: true));
                }
            }
        }

        return ApiResponse.From(new ApiStatus
        {
            Code = StatusCodes.Status404NotFound,
            Reason = ApiStatuses.ReasonNotFound,
            Message = $"{Resource} \"{name}\" not found",
            Details = new ApiStatusDetails { Name = name, Group = "", Kind = Resource },
        });
    }

    /// <summary>The kept events of the GatewaySyncs in scope (one namespace or all; one name, names with a prefix, or all).</summary>
    private async Task<IReadOnlyList<(GatewaySync Resource, StoredEvent Event)>> CollectAsync(string? ns, string? name, string? namePrefix = null)
    {
        IReadOnlyList<GatewaySync> resources;
        if (ns is not null && name is not null)
        {
            resources = KubernetesNames.IsDnsSubdomain(ns, out _) && KubernetesNames.IsDnsSubdomain(name, out _) && await store.GetAsync(ns, name) is { } one
                ? [one]
                : [];
        }
        else
        {
            resources = (await store.ListAsync(ns))
                .Where(r => (name is null || r.Metadata.Name == name) && (namePrefix is null || r.Metadata.Name!.StartsWith(namePrefix, StringComparison.Ordinal)))
                .ToList();
        }

        var lists = await Task.WhenAll(resources.Select(async r =>
        {
            var events = await grains.GetGrain<IGatewaySyncEventsGrain>(GrainKeys.GatewaySync(Namespace(r), r.Metadata.Name!)).List();
            // Events of an earlier object of the same name (deleted, created again) are not this one's.
            return events.Where(e => e.Uid is null || r.Metadata.Uid is null || e.Uid == r.Metadata.Uid).Select(e => (r, e));
        }));
        return lists.SelectMany(l => l).ToList();
    }

    private static string Field(string field, GatewaySync resource, StoredEvent @event) => field switch
    {
        "involvedObject.kind" => GatewaySync.KindValue,
        "involvedObject.namespace" or "metadata.namespace" => Namespace(resource),
        "involvedObject.name" => resource.Metadata.Name!,
        "involvedObject.uid" => @event.Uid ?? "",
        "involvedObject.apiVersion" => GatewaySync.ApiVersionValue,
        "involvedObject.resourceVersion" => @event.ResourceVersion ?? "",
        "involvedObject.fieldPath" => "",
        "reason" => @event.Reason,
        "reportingComponent" or "source" => @event.Component,
        "type" => @event.Type,
        "metadata.name" => @event.Name,
        _ => "",
    };

    /// <summary>The Event object: <see cref="CoreEvents"/>' shape (Kubernetes mode writes the same), with local metadata.</summary>
    internal static JsonObject ToNode(GatewaySync resource, StoredEvent @event, bool withType = false)
    {
        var ns = Namespace(resource);
        var key = new EventKey(ns, resource.Metadata.Name!, @event.Uid, @event.Component, @event.Type, @event.Reason, @event.Message);
        var body = CoreEvents.Create(key, @event.Name, @event.ResourceVersion, @event.Count, @event.FirstTimestamp, @event.LastTimestamp, instance: null);
        var node = JsonNode.Parse(KubernetesJson.Serialize(body))!.AsObject();
        var metadata = node["metadata"]!.AsObject();
        metadata["uid"] = Uid(ns, @event.Name);
        metadata["resourceVersion"] = @event.Version.ToString(CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] = KubeTimeJsonConverter.ToKubeString(@event.FirstTimestamp);
        node["firstTimestamp"] = KubeTimeJsonConverter.ToKubeString(@event.FirstTimestamp);
        node["lastTimestamp"] = KubeTimeJsonConverter.ToKubeString(@event.LastTimestamp);
        node["eventTime"] = null;
        node.Remove("kind");
        node.Remove("apiVersion");
        if (withType)
        {
            // A single object names its kind; list items do not, as the API server writes typed lists.
            var typed = new JsonObject { ["kind"] = "Event", ["apiVersion"] = "v1" };
            foreach (var (name, value) in node.ToList())
            {
                node.Remove(name);
                typed[name] = value;
            }

            return typed;
        }

        return node;
    }

    private static string Namespace(GatewaySync resource) => resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace;

    /// <summary>A stable uid per Event object, derived from its namespace and name (which are unique while it exists).</summary>
    private static string Uid(string ns, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ns + "/" + name));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static bool IsWatch(HttpRequest request) =>
        request.Query.TryGetValue("watch", out var watch) && watch.ToString() is "1" or "true" or "";

    private Task<IResult> Guard(HttpRequest request, Func<Task<IResult>> handler) => ApiGuard.RunAsync(logger, request, handler);
}
