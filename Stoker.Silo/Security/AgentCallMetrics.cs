using Prometheus;

namespace Stoker.Silo.Security;

/// <summary>Client calls the silo refused (<see cref="ClientCallFilter"/>).</summary>
public static class AgentCallMetrics
{
    public const string RefusedTotalName = "stoker_agent_calls_refused_total";

    public static readonly Counter RefusedTotal = Metrics.CreateCounter(
        RefusedTotalName, "Calls from Orleans clients refused by the silo's call filter, by reason.", new CounterConfiguration { LabelNames = ["reason"] });
}
