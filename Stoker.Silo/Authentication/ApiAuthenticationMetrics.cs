using Prometheus;

namespace Stoker.Silo.Authentication;

/// <summary>Requests to the HTTP port the authentication refused (docs/security.md, "API authentication").</summary>
public static class ApiAuthenticationMetrics
{
    public const string RefusedTotalName = "stoker_api_requests_refused_total";

    /// <summary>By reason: <c>Unauthorized</c> (401), <c>Forbidden</c> (403), <c>ServiceUnavailable</c> (503: the reviewer could not decide).</summary>
    public static readonly Counter RefusedTotal = Metrics.CreateCounter(
        RefusedTotalName, "Requests to the silo's HTTP API refused by authentication or authorization, by reason.", new CounterConfiguration { LabelNames = ["reason"] });
}
