using System.Net;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Hosting;

/// <summary>Refuses bad silo settings at start, naming the setting, the value and the rule.</summary>
public sealed class StokerSiloOptionsValidator : IValidateOptions<StokerSiloOptions>
{
    public ValidateOptionsResult Validate(string? name, StokerSiloOptions options)
    {
        var failures = new List<string>();
        const string prefix = StokerSiloOptions.SectionName + ":";
        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"{prefix}{nameof(options.SiloPort)}: {options.SiloPort}: must be a TCP port between 1 and 65535");
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            failures.Add($"{prefix}{nameof(options.GatewayPort)}: {options.GatewayPort}: must be a TCP port between 1 and 65535");
        }

        if (options.HttpsPort is < 0 or > 65535)
        {
            failures.Add($"{prefix}{nameof(options.HttpsPort)}: {options.HttpsPort}: must be a TCP port between 1 and 65535, or 0 for no HTTPS");
        }
        else if (options.HttpsPort != 0 && (options.HttpsPort == options.SiloPort || options.HttpsPort == options.GatewayPort))
        {
            failures.Add($"{prefix}{nameof(options.HttpsPort)}: {options.HttpsPort}: must differ from {nameof(options.SiloPort)} and {nameof(options.GatewayPort)}");
        }

        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{prefix}{nameof(options.GatewayPort)}: {options.GatewayPort}: must differ from {nameof(options.SiloPort)}");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{prefix}{nameof(options.ClusterId)}: must not be empty");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{prefix}{nameof(options.ServiceId)}: must not be empty");
        }

        if (options.AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            failures.Add($"{prefix}{nameof(options.AdvertisedAddress)}: \"{address}\": must be an IP address");
        }

        if (options.AgentSessionExpiry < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix}{nameof(options.AgentSessionExpiry)}: {options.AgentSessionExpiry}: must be at least 1 second");
        }

        if (options.MinimumReminderPeriod < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix}{nameof(options.MinimumReminderPeriod)}: {options.MinimumReminderPeriod}: must be at least 1 second");
        }

        if (new Transport.SiloTlsOptionsValidator().Validate(name, options.Tls) is { Failed: true } tls)
        {
            failures.AddRange(tls.Failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
