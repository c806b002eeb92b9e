using System.Text.Json.Nodes;

namespace Stoker.Demo.Tour;

/// <summary>Reads the per-gateway entries of <c>status.discoveredGateways</c>.</summary>
public static class GatewayStatus
{
    public static GatewayRow? Find(JsonNode? resource, GatewayRow current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (resource?["status"]?["discoveredGateways"] is not JsonArray gateways)
        {
            return null;
        }

        foreach (var gateway in gateways)
        {
            if (gateway?["name"]?.GetValue<string>() != current.Name)
            {
                continue;
            }

            return current with
            {
                Status = gateway["syncStatus"]?.GetValue<string>() ?? "registered",
                Commit = gateway["syncedCommit"]?.GetValue<string>(),
                FilesChanged = gateway["filesChanged"]?.GetValue<int>(),
                Projects = gateway["projectsSynced"] is JsonArray projects ? [.. projects.Select(p => p?.GetValue<string>() ?? "")] : null,
                SyncDuration = gateway["lastSyncDuration"]?.GetValue<string>(),
                Message = gateway["lastScanResult"]?.GetValue<string>() is { } scan && gateway["syncStatus"]?.GetValue<string>() == "Error" ? scan : null,
            };
        }

        return null;
    }

    /// <summary>The first False condition's message, to say why a gateway is not syncing.</summary>
    public static string? Problem(JsonNode? resource)
    {
        if (resource?["status"]?["conditions"] is not JsonArray conditions)
        {
            return null;
        }

        foreach (var condition in conditions)
        {
            if (condition?["status"]?.GetValue<string>() == "False" && condition["type"]?.GetValue<string>() is "RefResolved" or "ProfilesValid")
            {
                return $"{condition["type"]}: {condition["message"]?.GetValue<string>()}";
            }
        }

        return null;
    }
}
