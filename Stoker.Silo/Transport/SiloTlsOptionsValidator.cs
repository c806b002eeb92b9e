using Microsoft.Extensions.Options;

namespace Stoker.Silo.Transport;

/// <summary>
/// Refuses incomplete TLS settings at start, naming the setting, the path and the problem. Whether the files exist and
/// what they hold (a certificate, a matching key, a chain to the CA) is checked when they are loaded
/// (<see cref="SiloTlsMaterialLoader"/>), with the same kind of message.
/// </summary>
public sealed class SiloTlsOptionsValidator : IValidateOptions<SiloTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.UsesFiles)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        Check(nameof(options.CertificateFile), options.CertificateFile, failures);
        Check(nameof(options.KeyFile), options.KeyFile, failures);
        Check(nameof(options.CaFile), options.CaFile, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary><c>Stoker:Silo:Tls:CertificateFile</c> and so on.</summary>
    public static string Setting(string property) => $"{SiloTlsOptions.SectionName}:{property}";

    private static void Check(string property, string? path, List<string> failures)
    {
        if (path is not { Length: > 0 })
        {
            failures.Add($"{Setting(property)}: required when any of CertificateFile, KeyFile, CaFile is set: "
                + "give all three PEM files (a cert-manager secret's tls.crt, tls.key, ca.crt) or none to use the state folder's CA");
        }
        else if (!Path.IsPathFullyQualified(path))
        {
            failures.Add($"{Setting(property)}: \"{path}\": must be an absolute path");
        }
    }
}
