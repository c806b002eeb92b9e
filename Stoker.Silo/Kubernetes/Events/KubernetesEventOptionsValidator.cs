using Microsoft.Extensions.Options;

namespace Stoker.Silo.Kubernetes.Events;

/// <summary>Refuses bad event settings at start, naming the setting, the value and the rule.</summary>
public sealed class KubernetesEventOptionsValidator : IValidateOptions<KubernetesEventOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesEventOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = KubernetesEventOptions.SectionName + ":";
        Range(failures, prefix + nameof(options.QueueCapacity), options.QueueCapacity, 1, 1_000_000);
        Range(failures, prefix + nameof(options.CacheSize), options.CacheSize, 1, 1_000_000);
        Range(failures, prefix + nameof(options.MaxMessageBytes), options.MaxMessageBytes, 64, 1024 * 1024);
        Positive(failures, prefix + nameof(options.AggregationWindow), options.AggregationWindow);
        Positive(failures, prefix + nameof(options.MinBackoff), options.MinBackoff);
        Positive(failures, prefix + nameof(options.WriteTimeout), options.WriteTimeout);
        if (options.MinWriteInterval < TimeSpan.Zero)
        {
            failures.Add($"{prefix}{nameof(options.MinWriteInterval)}: {options.MinWriteInterval}: must not be negative");
        }

        if (options.MaxBackoff < options.MinBackoff)
        {
            failures.Add($"{prefix}{nameof(options.MaxBackoff)}: {options.MaxBackoff}: must not be shorter than {nameof(options.MinBackoff)} ({options.MinBackoff})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting}: {value}: must be between {min} and {max}");
        }
    }

    private static void Positive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting}: {value}: must be positive");
        }
    }
}
