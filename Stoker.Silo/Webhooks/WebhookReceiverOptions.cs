namespace Stoker.Silo.Webhooks;

/// <summary>
/// The webhook receiver's settings (section <c>Stoker:Webhook</c>). The global secrets may also come from the
/// original's environment variables <c>WEBHOOK_HMAC_SECRET</c> and <c>WEBHOOK_BEARER_TOKEN</c>; the section wins.
/// </summary>
public sealed class WebhookReceiverOptions
{
    public const string SectionName = "Stoker:Webhook";
    public const string HmacSecretEnvironmentVariable = "WEBHOOK_HMAC_SECRET";
    public const string BearerTokenEnvironmentVariable = "WEBHOOK_BEARER_TOKEN";

    /// <summary>The original's limit: only this many bytes of a body are read, the rest is discarded.</summary>
    public const int DefaultMaxBodyBytes = 1 << 20;

    /// <summary>Key for <c>X-Hub-Signature-256</c> (HMAC-SHA256 of the body); empty = not configured.</summary>
    public string? HmacSecret { get; set; }

    /// <summary>Accepted as <c>Authorization: Bearer &lt;token&gt;</c>; empty = not configured.</summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Insecure mode: with no secret configured for a resource (neither global nor its own), accept requests
    /// without authentication, as the original did. Off by default, so an unconfigured receiver refuses everything.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    /// <summary>At most this many body bytes are read (and signed-checked); the excess is discarded.</summary>
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    public WebhookRateLimitOptions RateLimit { get; set; } = new();
}
