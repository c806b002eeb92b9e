using Microsoft.Extensions.Options;

namespace Stoker.Silo.Kubernetes.Identity;

/// <summary>Refuses bad agent-identity settings at start, naming the setting, the value and the rule.</summary>
public sealed class AgentIdentityOptionsValidator : IValidateOptions<AgentIdentityOptions>
{
    public static readonly TimeSpan MaxReviewTimeout = TimeSpan.FromSeconds(20);

    public ValidateOptionsResult Validate(string? name, AgentIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = AgentIdentityOptions.SectionName + ":";
        if (string.IsNullOrWhiteSpace(options.Audience) || options.Audience.Any(char.IsWhiteSpace) || options.Audience.Length > 253)
        {
            failures.Add($"{prefix}{nameof(options.Audience)}: \"{options.Audience}\": must be a non-empty audience without whitespace, at most 253 characters");
        }

        if (options.ReviewTimeout < TimeSpan.FromMilliseconds(100) || options.ReviewTimeout > MaxReviewTimeout)
        {
            failures.Add($"{prefix}{nameof(options.ReviewTimeout)}: {options.ReviewTimeout}: must be between 00:00:00.100 and {MaxReviewTimeout} (it holds a grain turn; agents' calls time out at 30 s)");
        }

        if (options.CacheDuration < TimeSpan.Zero || options.CacheDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}{nameof(options.CacheDuration)}: {options.CacheDuration}: must be between 00:00:00 and 01:00:00");
        }

        if (options.CacheSize is < 0 or > 1_000_000)
        {
            failures.Add($"{prefix}{nameof(options.CacheSize)}: {options.CacheSize}: must be between 0 and 1000000");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
