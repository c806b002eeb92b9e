using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Admission;

/// <summary>
/// The validating webhook for GatewaySyncs: the same reader and rules as the apply API
/// (<see cref="GatewaySyncSerializer"/>), so <c>kubectl apply</c> of a bad resource fails at once with the same
/// field paths and messages. Creates and updates are checked (an update only for violations it adds); deletes
/// are always allowed.
/// </summary>
public static class GatewaySyncAdmissionHandler
{
    /// <summary>
    /// ObjectMeta fields the API server sends and has validated itself, which a GatewaySync as the apply API reads
    /// does not carry; they are set aside before validation. Any other unknown field is refused as by the apply API.
    /// </summary>
    public static readonly IReadOnlySet<string> ServerMetadataFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "managedFields", "ownerReferences", "selfLink", "deletionGracePeriodSeconds",
    };

    public static AdmissionResponse Handle(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uid = request.Uid ?? "";
        if (request.Operation is not (AdmissionRequest.Create or AdmissionRequest.Update))
        {
            return AdmissionResponses.Allowed(uid);
        }

        if (request.Object is not { } node)
        {
            return AdmissionResponses.Errored(uid, Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest, $"request.object: required for {request.Operation}");
        }

        var result = GatewaySyncSerializer.FromNode(WithoutServerMetadata(node));
        if (result.IsValid)
        {
            return AdmissionResponses.Allowed(uid);
        }

        // An update that adds no violation of its own passes: a resource stored before the webhook (or before a
        // rule) must still take the controller's finalizer and status-side patches and be deletable.
        if (request.Operation == AdmissionRequest.Update && request.OldObject is { } old)
        {
            var before = GatewaySyncSerializer.FromNode(WithoutServerMetadata(old)).Violations.ToHashSet();
            if (result.Violations.All(before.Contains))
            {
                return AdmissionResponses.Allowed(uid);
            }
        }

        return AdmissionResponses.Invalid(uid, request.Name ?? (node["metadata"]?["name"] as JsonValue)?.ToString(), result.Violations);
    }

    private static JsonNode WithoutServerMetadata(JsonNode node)
    {
        if (node is not JsonObject { } obj || obj["metadata"] is not JsonObject metadata || !metadata.Any(p => ServerMetadataFields.Contains(p.Key)))
        {
            return node;
        }

        var copy = obj.DeepClone().AsObject();
        var copiedMetadata = copy["metadata"]!.AsObject();
        foreach (var key in copiedMetadata.Select(p => p.Key).Where(ServerMetadataFields.Contains).ToList())
        {
            copiedMetadata.Remove(key);
        }

        return copy;
    }
}
