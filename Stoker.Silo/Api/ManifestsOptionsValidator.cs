using Microsoft.Extensions.Options;

namespace Stoker.Silo.Api;

/// <summary>Refuses bad manifests-folder settings at start, naming the setting, the value and the rule.</summary>
public sealed class ManifestsOptionsValidator : IValidateOptions<ManifestsOptions>
{
    public ValidateOptionsResult Validate(string? name, ManifestsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string prefix = ManifestsOptions.SectionName + ":";
        if (options.Path is { Length: > 0 } path && !Directory.Exists(path))
        {
            failures.Add($"{prefix}{nameof(options.Path)}: \"{path}\": must be an existing folder");
        }

        if (options.RescanInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{prefix}{nameof(options.RescanInterval)}: {options.RescanInterval}: must be at least 1 second");
        }

        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{prefix}{nameof(options.Debounce)}: {options.Debounce}: must be between 0 and 1 minute");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
