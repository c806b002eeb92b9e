namespace Stoker.Silo.Http;

/// <summary>
/// Bounds on the silo's HTTP server (section <c>Stoker:Http</c>), applied to Kestrel for every port it serves (the
/// apply API, webhooks, dashboard, probes and metrics, and the admission webhooks' HTTPS port). The defaults are safe
/// for a port reachable from an untrusted network; docs/security.md explains each.
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string SectionName = "Stoker:Http";

    /// <summary>
    /// The body limit of a route that sets none of its own. The apply API takes up to its 3 MiB, the webhook receiver
    /// reads its <c>Stoker:Webhook:MaxBodyBytes</c> and the admission webhooks their
    /// <c>Stoker:Admission:MaxRequestBodyBytes</c>; everything else (dashboard, probes, metrics) needs no body.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Open connections at once; more are refused (closed) at once. Kestrel's default is unlimited.</summary>
    public long MaxConcurrentConnections { get; set; } = 1000;

    /// <summary>Connections upgraded to another protocol (WebSockets) at once. Kestrel's default is unlimited.</summary>
    public long MaxConcurrentUpgradedConnections { get; set; } = 100;

    /// <summary>Time a client has to send the whole request line and headers (slow headers). Kestrel's default is 30 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time an idle keep-alive connection stays open. Kestrel's default is 130 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Slowest body a client may send, in bytes per second averaged after <see cref="MinRequestBodyDataRateGracePeriod"/>;
    /// a slower client's connection is closed (slow bodies). Kestrel's own default rate.
    /// </summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most request headers; Kestrel's default.</summary>
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>Most bytes of all request headers together; Kestrel's default.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>Longest request line (method, path, query); Kestrel's default.</summary>
    public int MaxRequestLineSize { get; set; } = 8 * 1024;
}
