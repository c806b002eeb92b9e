using System.Globalization;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Output;

/// <summary>
/// The CRD's printer columns (docs/resource-reference.md), read from the same fields the API server's JSONPaths name:
/// NAME, REF, GATEWAYS, READY, STATUS, AGE; <c>-o wide</c> adds COMMIT, PROFILES, LAST SYNC.
/// A value the resource does not have is printed blank, as kubectl prints a custom column that finds nothing.
/// </summary>
public static class GatewaySyncColumns
{
    public static IReadOnlyList<string> Headers(bool wide, bool withNamespace)
    {
        var headers = new List<string>();
        if (withNamespace)
        {
            headers.Add("NAMESPACE");
        }

        headers.AddRange(["NAME", "REF", "GATEWAYS", "READY", "STATUS", "AGE"]);
        if (wide)
        {
            headers.AddRange(["COMMIT", "PROFILES", "LAST SYNC"]);
        }

        return headers;
    }

    public static IReadOnlyList<string> Row(GatewaySync resource, bool wide, bool withNamespace, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var status = resource.Status;
        var ready = Condition(status, ConditionTypes.Ready);
        var row = new List<string>();
        if (withNamespace)
        {
            row.Add(resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace);
        }

        row.AddRange([
            resource.Metadata.Name ?? "",
            status?.LastSyncRef ?? "",
            Condition(status, ConditionTypes.AllGatewaysSynced)?.Message ?? "",
            ready?.Status ?? "",
            ready?.Message ?? "",
            HumanDuration.Since(resource.Metadata.CreationTimestamp, now),
        ]);
        if (wide)
        {
            row.AddRange([
                status?.LastSyncCommitShort ?? "",
                status?.ProfileCount?.ToString(CultureInfo.InvariantCulture) ?? "",
                status?.LastSyncTime is { } last ? HumanDuration.Format(now - last) : "",
            ]);
        }

        return row;
    }

    public static Condition? Condition(GatewaySyncStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
