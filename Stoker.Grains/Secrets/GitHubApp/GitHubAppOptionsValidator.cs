using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Stoker.Grains.Secrets.GitHubApp;

/// <summary>Refuses bad GitHub App settings at start, naming the setting, the value and the rule.</summary>
public sealed class GitHubAppOptionsValidator : IValidateOptions<GitHubAppOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = GitHubAppOptions.SectionName + ":";
        if (options.CaFile is { Length: > 0 } file)
        {
            if (!File.Exists(file))
            {
                failures.Add($"{prefix}{nameof(options.CaFile)}: \"{file}\": must be an existing PEM file of CA certificates");
            }
            else if (LoadError(file) is { } error)
            {
                failures.Add($"{prefix}{nameof(options.CaFile)}: \"{file}\": {error}");
            }
        }

        if (options.ExchangeTimeout <= TimeSpan.Zero || options.ExchangeTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{prefix}{nameof(options.ExchangeTimeout)}: {options.ExchangeTimeout}: must be positive and at most 30 seconds (the ls-remote deadline that encloses it)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? LoadError(string file)
    {
        try
        {
            var certificates = GitHubAppTrust.LoadCertificates(file);
            var count = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            return count == 0 ? "must contain at least one PEM CERTIFICATE block" : null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return "cannot be read as PEM certificates: " + e.Message;
        }
    }
}
