using Prometheus;

namespace Stoker.Silo.Webhooks;

/// <summary>The original's receiver metric, same name and labels (docs/webhooks.md), in prometheus-net's default registry.</summary>
public static class WebhookReceiverMetrics
{
    public const string RequestsTotalName = "stoker_webhook_receiver_requests_total";

    public static readonly Counter RequestsTotal = Metrics.CreateCounter(
        RequestsTotalName,
        "Total number of webhook receiver requests.",
        new CounterConfiguration { LabelNames = ["source", "status_code"] });

    public static void Count(string source, int statusCode) =>
        RequestsTotal.WithLabels(source, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
}
