using Prometheus;

namespace Stoker.Silo.Admission;

/// <summary>The original's injector metric, same name and labels; denials are not counted (as there).</summary>
public static class AdmissionMetrics
{
    public const string InjectionsTotalName = "stoker_webhook_injector_injections_total";
    public const string Injected = "injected";
    public const string Skipped = "skipped";

    public static readonly Counter InjectionsTotal = Metrics.CreateCounter(
        InjectionsTotalName,
        "Pods seen by the sidecar injection webhook, by namespace and result.",
        new CounterConfiguration { LabelNames = ["namespace", "result"] });

    public static void Count(string ns, string result) => InjectionsTotal.WithLabels(ns, result).Inc();
}
