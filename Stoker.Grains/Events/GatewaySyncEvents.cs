using System.Globalization;
using System.Text;

namespace Stoker.Grains.Events;

/// <summary>The events Stoker records, with the original operator's messages, built in one place.</summary>
public static class GatewaySyncEvents
{
    public static GatewaySyncEvent Paused() =>
        new(EventComponents.GatewaySyncController, EventTypes.Normal, EventReasons.Paused, "Reconciliation paused");

    public static GatewaySyncEvent ProfilesInvalid(string error) =>
        new(EventComponents.GatewaySyncController, EventTypes.Warning, EventReasons.ProfilesInvalid, "Profile validation failed: " + error);

    /// <param name="reason"><see cref="EventReasons.RefResolutionFailed"/> or <see cref="EventReasons.GitHubAppExchangeFailed"/>.</param>
    public static GatewaySyncEvent RefResolutionFailed(string reason, string error) =>
        new(EventComponents.GatewaySyncController, EventTypes.Warning, reason, "Ref resolution failed: " + error);

    public static GatewaySyncEvent GatewaysDiscovered(int count, int previous) =>
        new(EventComponents.GatewaySyncController, EventTypes.Normal, EventReasons.GatewaysDiscovered,
            string.Create(CultureInfo.InvariantCulture, $"Discovered {count} gateway(s) (was {previous})"));

    public static GatewaySyncEvent MissingSidecar(string podName) =>
        new(EventComponents.GatewaySyncController, EventTypes.Warning, EventReasons.MissingSidecar,
            $"Pod {podName} has inject annotation but no stoker-agent sidecar \u2014 webhook may have been unavailable during pod creation. Delete and recreate the pod.");

    /// <summary>The ref is quoted as Go's <c>%q</c> quotes it (the original's message), so quotes and control characters stay visible.</summary>
    public static GatewaySyncEvent WebhookReceived(string source, string @ref) =>
        new(EventComponents.WebhookReceiver, EventTypes.Normal, EventReasons.WebhookReceived, $"Webhook from {source}, ref {Quote(@ref)}");

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            _ = ch switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(ch) => builder.Append("\\x").Append(((int)ch).ToString("x2", CultureInfo.InvariantCulture)),
                _ => builder.Append(ch),
            };
        }

        return builder.Append('"').ToString();
    }
}
