using Microsoft.Extensions.Options;

namespace Stoker.Silo.Api.Watch;

/// <summary>Refuses bad watch settings at start, naming the setting, the value and the rule.</summary>
public sealed class WatchOptionsValidator : IValidateOptions<WatchOptions>
{
    public ValidateOptionsResult Validate(string? name, WatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = WatchOptions.SectionName + ":";
        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{prefix}{nameof(options.PollInterval)}: {options.PollInterval}: must be between 100 milliseconds and 1 minute");
        }

        if (options.MaxConcurrentWatches is < 1 or > 10_000)
        {
            failures.Add($"{prefix}{nameof(options.MaxConcurrentWatches)}: {options.MaxConcurrentWatches}: must be between 1 and 10000");
        }

        if (options.MaxTimeout < TimeSpan.FromSeconds(1) || options.MaxTimeout > TimeSpan.FromHours(24))
        {
            failures.Add($"{prefix}{nameof(options.MaxTimeout)}: {options.MaxTimeout}: must be between 1 second and 24 hours");
        }

        if (options.DefaultTimeout < TimeSpan.FromSeconds(1) || options.DefaultTimeout > options.MaxTimeout)
        {
            failures.Add($"{prefix}{nameof(options.DefaultTimeout)}: {options.DefaultTimeout}: must be at least 1 second and at most {nameof(options.MaxTimeout)} ({options.MaxTimeout})");
        }

        if (options.BookmarkInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix}{nameof(options.BookmarkInterval)}: {options.BookmarkInterval}: must be at least 1 second");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
