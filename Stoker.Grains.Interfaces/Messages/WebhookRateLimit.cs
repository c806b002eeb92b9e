namespace Stoker.Grains.Interfaces.Messages;

/// <summary>
/// The webhook rate limit a receiver asks the GatewaySync grain to hold it to: at most <see cref="PermitLimit"/> ref
/// requests per fixed <see cref="Window"/>. Sent with each request so the setting stays the receiver's
/// (<c>Stoker:Webhook:RateLimit</c>) while the counting lives in the one grain of the resource, whichever silo the
/// request came in on.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WebhookRateLimit
{
    [Id(0)] public int PermitLimit { get; init; }

    [Id(1)] public TimeSpan Window { get; init; }
}
