using Prometheus;

namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>Registrations refused by the identity check, and the TokenReviews it made.</summary>
public static class AgentIdentityMetrics
{
    public const string RefusedTotalName = "stoker_agent_registrations_refused_total";
    public const string TokenReviewsTotalName = "stoker_agent_token_reviews_total";

    public static readonly Counter RefusedTotal = Metrics.CreateCounter(
        RefusedTotalName, "Agent registrations refused by the identity check, by reason.", new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter TokenReviewsTotal = Metrics.CreateCounter(
        TokenReviewsTotalName, "TokenReviews made for agent registrations (cache misses), by result.", new CounterConfiguration { LabelNames = ["result"] });
}
