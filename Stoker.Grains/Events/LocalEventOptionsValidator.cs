using Microsoft.Extensions.Options;

namespace Stoker.Grains.Events;

/// <summary>Refuses bad local event settings at start, naming the setting, the value and the rule.</summary>
public sealed class LocalEventOptionsValidator : IValidateOptions<LocalEventOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalEventOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = LocalEventOptions.SectionName + ":";
        if (options.MaxEventsPerObject is < 1 or > 10_000)
        {
            failures.Add($"{prefix}{nameof(options.MaxEventsPerObject)}: {options.MaxEventsPerObject}: must be between 1 and 10000");
        }

        if (options.TimeToLive <= TimeSpan.Zero || options.TimeToLive > TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}{nameof(options.TimeToLive)}: {options.TimeToLive}: must be positive and at most a day (events are kept in memory)");
        }

        if (options.MaxMessageBytes is < 64 or > 1024 * 1024)
        {
            failures.Add($"{prefix}{nameof(options.MaxMessageBytes)}: {options.MaxMessageBytes}: must be between 64 and 1048576");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
