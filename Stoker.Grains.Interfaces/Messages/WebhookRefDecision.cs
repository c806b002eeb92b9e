namespace Stoker.Grains.Interfaces.Messages;

/// <summary>What the GatewaySync grain did with a webhook's ref request: took it now, or held it for the next window.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookRefDecision
{
    /// <summary>The outcome when the request was within the limit and taken now.</summary>
    [Id(0)] public RefRequestOutcome? Outcome { get; init; }

    /// <summary>Set when the window was full: the request is held (if still the newest) until then.</summary>
    [Id(1)] public TimeSpan? RetryAfter { get; init; }

    public static WebhookRefDecision Taken(RefRequestOutcome outcome) => new() { Outcome = outcome };

    public static WebhookRefDecision Limited(TimeSpan retryAfter) => new() { RetryAfter = retryAfter };
}
