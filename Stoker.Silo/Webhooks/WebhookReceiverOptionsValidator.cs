using Microsoft.Extensions.Options;

namespace Stoker.Silo.Webhooks;

/// <summary>Refuses bad receiver settings at start, naming the setting, the value and the rule (never a secret's value).</summary>
public sealed class WebhookReceiverOptionsValidator : IValidateOptions<WebhookReceiverOptions>
{
    /// <summary>GitHub's own cap on a webhook payload (the receiver lifts the server's body limit for its route and reads this many bytes itself).</summary>
    public const int MaxBodyBytesLimit = 25 << 20;

    public static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, WebhookReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = WebhookReceiverOptions.SectionName + ":";
        if (options.BearerToken is { Length: > 0 } token && (char.IsWhiteSpace(token[0]) || char.IsWhiteSpace(token[^1]) || token.Any(char.IsControl)))
        {
            // HTTP trims header values, so such a token could never match.
            failures.Add($"{prefix}{nameof(options.BearerToken)} (or {WebhookReceiverOptions.BearerTokenEnvironmentVariable}): must not start or end with whitespace or contain control characters");
        }

        if (options.MaxBodyBytes is < 1024 or > MaxBodyBytesLimit)
        {
            failures.Add($"{prefix}{nameof(options.MaxBodyBytes)}: {options.MaxBodyBytes}: must be between 1024 and {MaxBodyBytesLimit} (25 MiB)");
        }

        if (options.RateLimit is null)
        {
            failures.Add($"{prefix}{nameof(options.RateLimit)}: must not be null");
        }
        else
        {
            if (options.RateLimit.PermitLimit < 1)
            {
                failures.Add($"{prefix}{nameof(options.RateLimit)}:{nameof(WebhookRateLimitOptions.PermitLimit)}: {options.RateLimit.PermitLimit}: must be at least 1");
            }

            if (options.RateLimit.Window < MinWindow || options.RateLimit.Window > MaxWindow)
            {
                failures.Add($"{prefix}{nameof(options.RateLimit)}:{nameof(WebhookRateLimitOptions.Window)}: {options.RateLimit.Window}: must be between {MinWindow} and {MaxWindow}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
