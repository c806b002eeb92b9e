namespace Stoker.Silo.Webhooks;

/// <summary>
/// Per-GatewaySync limit on ref requests (section <c>Stoker:Webhook:RateLimit</c>): at most
/// <see cref="PermitLimit"/> requests are passed on per fixed <see cref="Window"/>; the newest refused one is passed
/// on when the window opens.
/// </summary>
public sealed class WebhookRateLimitOptions
{
    public int PermitLimit { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
