using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Kubernetes;

/// <summary>Refuses bad Kubernetes-mode settings at start, naming the setting, the value and the rule.</summary>
public sealed partial class StokerKubernetesOptionsValidator : IValidateOptions<StokerKubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, StokerKubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = StokerKubernetesOptions.SectionName + ":";
        if (options.KubeconfigPath is { Length: > 0 } path && !File.Exists(path))
        {
            failures.Add($"{prefix}{nameof(options.KubeconfigPath)}: \"{path}\": must be an existing file");
        }

        for (var i = 0; i < options.Namespaces.Count; i++)
        {
            if (!IsDnsLabel(options.Namespaces[i]))
            {
                failures.Add($"{prefix}{nameof(options.Namespaces)}:{i}: \"{options.Namespaces[i]}\": must be a namespace name (a DNS-1123 label)");
            }
        }

        if (!KubernetesNames.IsDnsSubdomain(options.LeaseName, out _))
        {
            failures.Add($"{prefix}{nameof(options.LeaseName)}: \"{options.LeaseName}\": must be a DNS-1123 subdomain");
        }

        if (options.LeaseNamespace is { Length: > 0 } leaseNamespace && !IsDnsLabel(leaseNamespace))
        {
            failures.Add($"{prefix}{nameof(options.LeaseNamespace)}: \"{leaseNamespace}\": must be a namespace name (a DNS-1123 label)");
        }

        Positive(failures, prefix + nameof(options.RetryPeriod), options.RetryPeriod);
        if (options.RenewDeadline <= options.RetryPeriod)
        {
            failures.Add($"{prefix}{nameof(options.RenewDeadline)}: {options.RenewDeadline}: must be longer than {nameof(options.RetryPeriod)} ({options.RetryPeriod})");
        }

        if (options.LeaseDuration <= options.RenewDeadline)
        {
            failures.Add($"{prefix}{nameof(options.LeaseDuration)}: {options.LeaseDuration}: must be longer than {nameof(options.RenewDeadline)} ({options.RenewDeadline})");
        }

        if (options.WatchTimeout < TimeSpan.FromSeconds(1) || options.WatchTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}{nameof(options.WatchTimeout)}: {options.WatchTimeout}: must be between 1 second and 1 hour");
        }

        Positive(failures, prefix + nameof(options.MinBackoff), options.MinBackoff);
        if (options.MaxBackoff < options.MinBackoff)
        {
            failures.Add($"{prefix}{nameof(options.MaxBackoff)}: {options.MaxBackoff}: must be at least {nameof(options.MinBackoff)} ({options.MinBackoff})");
        }

        if (options.StatusWriteInterval < TimeSpan.FromMilliseconds(100) || options.StatusWriteInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{prefix}{nameof(options.StatusWriteInterval)}: {options.StatusWriteInterval}: must be between 100 milliseconds and 1 minute");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsDnsLabel(string value) => value.Length is > 0 and <= 63 && DnsLabel().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    private static void Positive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting}: {value}: must be positive");
        }
    }
}
