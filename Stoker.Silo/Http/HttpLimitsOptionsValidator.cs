using System.Globalization;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Http;

/// <summary>Refuses HTTP limits that would switch a bound off or make the server unusable, naming the setting, value and rule.</summary>
public sealed class HttpLimitsOptionsValidator : IValidateOptions<HttpLimitsOptions>
{
    /// <summary>Above the apply API's 3 MiB and the largest admission body allowed; a bigger default only helps a flood.</summary>
    public const long MaxBodyBytesCeiling = 64L << 20;

    public ValidateOptionsResult Validate(string? name, HttpLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Range(failures, nameof(options.MaxRequestBodyBytes), options.MaxRequestBodyBytes, 0, MaxBodyBytesCeiling);
        Range(failures, nameof(options.MaxConcurrentConnections), options.MaxConcurrentConnections, 1, 1_000_000);
        Range(failures, nameof(options.MaxConcurrentUpgradedConnections), options.MaxConcurrentUpgradedConnections, 0, 1_000_000);
        Range(failures, nameof(options.MaxRequestHeaderCount), options.MaxRequestHeaderCount, 1, 1000);
        Range(failures, nameof(options.MaxRequestHeadersTotalSize), options.MaxRequestHeadersTotalSize, 1024, 1 << 20);
        Range(failures, nameof(options.MaxRequestLineSize), options.MaxRequestLineSize, 256, 1 << 20);
        Duration(failures, nameof(options.RequestHeadersTimeout), options.RequestHeadersTimeout, TimeSpan.FromMinutes(5));
        Duration(failures, nameof(options.KeepAliveTimeout), options.KeepAliveTimeout, TimeSpan.FromHours(1));
        Duration(failures, nameof(options.MinRequestBodyDataRateGracePeriod), options.MinRequestBodyDataRateGracePeriod, TimeSpan.FromMinutes(5));
        if (!double.IsFinite(options.MinRequestBodyDataRate) || options.MinRequestBodyDataRate is < 1 or > 1_000_000_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{HttpLimitsOptions.SectionName}:{nameof(options.MinRequestBodyDataRate)}: {options.MinRequestBodyDataRate}: must be between 1 and 1000000000 bytes per second (slow bodies are never cut off without it)"));
        }

        if (options.MinRequestBodyDataRateGracePeriod < TimeSpan.FromSeconds(1) && options.MinRequestBodyDataRateGracePeriod > TimeSpan.Zero)
        {
            // Kestrel refuses a grace period shorter than its heartbeat (1 s) with an exception of its own.
            failures.Add($"{HttpLimitsOptions.SectionName}:{nameof(options.MinRequestBodyDataRateGracePeriod)}: {options.MinRequestBodyDataRateGracePeriod}: must be at least 1 second");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{HttpLimitsOptions.SectionName}:{setting}: {value}: must be between {min} and {max}"));
        }
    }

    private static void Duration(List<string> failures, string setting, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{HttpLimitsOptions.SectionName}:{setting}: {value}: must be more than 0 and at most {max}"));
        }
    }
}
