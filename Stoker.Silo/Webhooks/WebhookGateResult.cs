using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Silo.Webhooks;

/// <summary>What became of one ref request at the gate.</summary>
public sealed record WebhookGateResult
{
    public static readonly WebhookGateResult Superseded = new();

    /// <summary>The grain's answer when the request was passed on now.</summary>
    public RefRequestOutcome? Outcome { get; private init; }

    /// <summary>Set when the window was full: the request is held (if still the newest) until then.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    public bool IsLimited => RetryAfter is not null;

    /// <summary>Passed the gate, but a newer request for the same GatewaySync reached the grain first.</summary>
    public bool IsSuperseded => Outcome is null && RetryAfter is null;

    public static WebhookGateResult Delivered(RefRequestOutcome outcome) => new() { Outcome = outcome };

    public static WebhookGateResult Limited(TimeSpan retryAfter) => new() { RetryAfter = retryAfter };
}
