using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Admission;

/// <summary>Refuses bad admission settings at start, naming the setting, the value and the rule.</summary>
public sealed partial class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    public const int MinBodyBytes = 64 << 10;
    public const int MaxBodyBytes = 16 << 20;

    /// <summary>Kubernetes refuses projected token lifetimes under ten minutes; a day bounds what a stolen token is worth.</summary>
    public const int MinTokenSeconds = 600;
    public const int MaxTokenSeconds = 86_400;

    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = AdmissionOptions.SectionName + ":";
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{prefix}{nameof(options.Port)}: {options.Port}: must be a TCP port between 1 and 65535 (0 picks a free port)");
        }

        if (options.BindAddress is { Length: > 0 } bind && !IPAddress.TryParse(bind, out _))
        {
            failures.Add($"{prefix}{nameof(options.BindAddress)}: \"{bind}\": must be an IP address");
        }

        if (options.MaxRequestBodyBytes is < MinBodyBytes or > MaxBodyBytes)
        {
            failures.Add($"{prefix}{nameof(options.MaxRequestBodyBytes)}: {options.MaxRequestBodyBytes}: must be between {MinBodyBytes} and {MaxBodyBytes}");
        }

        if (string.IsNullOrWhiteSpace(options.TokenAudience) || options.TokenAudience.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"{prefix}{nameof(options.TokenAudience)}: \"{options.TokenAudience}\": must be a non-empty word without whitespace");
        }

        if (options.TokenExpirationSeconds is < MinTokenSeconds or > MaxTokenSeconds)
        {
            failures.Add($"{prefix}{nameof(options.TokenExpirationSeconds)}: {options.TokenExpirationSeconds}: must be between {MinTokenSeconds} and {MaxTokenSeconds}");
        }

        CheckQuantity(prefix + nameof(options.WorkVolumeSizeLimit), options.WorkVolumeSizeLimit, failures);
        CheckQuantity(prefix + nameof(options.TmpVolumeSizeLimit), options.TmpVolumeSizeLimit, failures);
        if (options.DefaultAgentImage is { } image && (image.Trim().Length == 0 || image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            failures.Add($"{prefix}{nameof(options.DefaultAgentImage)} (or {AdmissionOptions.DefaultAgentImageEnvironmentVariable}): \"{image}\": must be an image reference without whitespace");
        }

        if (options.Enabled)
        {
            // Only an enabled webhook needs these: local mode leaves them unset.
            if (string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                failures.Add($"{prefix}{nameof(options.CertificatePath)}: required when {prefix}{nameof(options.Enabled)} is true: the PEM certificate the API server verifies (tls.crt)");
            }

            if (string.IsNullOrWhiteSpace(options.KeyPath))
            {
                failures.Add($"{prefix}{nameof(options.KeyPath)}: required when {prefix}{nameof(options.Enabled)} is true: the certificate's PEM private key (tls.key)");
            }

            CheckEndpoints(prefix + nameof(options.SiloEndpoints), options.SiloEndpoints, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckQuantity(string setting, string? value, List<string> failures)
    {
        if (value is null || !QuantityPattern().IsMatch(value))
        {
            failures.Add($"{setting}: \"{value}\": must be a Kubernetes quantity such as 512Mi or 1Gi");
        }
    }

    private static void CheckEndpoints(string setting, string? value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting}: required when the webhook is enabled: the silo gateway the injected agents connect to, e.g. stoker-silo-gateway.stoker-system.svc:30000");
            return;
        }

        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = item.LastIndexOf(':');
            var ok = colon > 0
                && item[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' or ':')
                && int.TryParse(item[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
            if (!ok)
            {
                failures.Add($"{setting}: \"{item}\": must be host:port (comma-separated for several)");
            }
        }
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();
}
