using Microsoft.Extensions.Options;

namespace Stoker.Silo.Security;

/// <summary>Refuses bad agent-credential settings at start, naming the setting, the value and the rule.</summary>
public sealed class AgentCredentialOptionsValidator : IValidateOptions<AgentCredentialOptions>
{
    public static readonly TimeSpan MinTokenTtl = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan LongestTokenTtl = TimeSpan.FromHours(10 * 8760);

    public ValidateOptionsResult Validate(string? name, AgentCredentialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string prefix = AgentCredentialOptions.SectionName + ":";
        var failures = new List<string>();
        if (options.AgentTokenKeyFile is { Length: > 0 } file && !Path.IsPathFullyQualified(file))
        {
            failures.Add($"{prefix}{nameof(options.AgentTokenKeyFile)}: \"{file}\": must be an absolute path");
        }

        if (options.MaxTokenTtl < MinTokenTtl || options.MaxTokenTtl > LongestTokenTtl)
        {
            failures.Add($"{prefix}{nameof(options.MaxTokenTtl)}: {options.MaxTokenTtl}: must be between {MinTokenTtl} and {LongestTokenTtl}");
        }

        if (options.DefaultTokenTtl < MinTokenTtl || options.DefaultTokenTtl > options.MaxTokenTtl)
        {
            failures.Add($"{prefix}{nameof(options.DefaultTokenTtl)}: {options.DefaultTokenTtl}: must be between {MinTokenTtl} and {nameof(options.MaxTokenTtl)} ({options.MaxTokenTtl})");
        }

        if (options.RevocationRefreshInterval < TimeSpan.FromMilliseconds(100) || options.RevocationRefreshInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}{nameof(options.RevocationRefreshInterval)}: {options.RevocationRefreshInterval}: must be between 00:00:00.100 and 00:05:00");
        }

        if (options.CacheDuration < TimeSpan.Zero || options.CacheDuration > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{prefix}{nameof(options.CacheDuration)}: {options.CacheDuration}: must be between 00:00:00 and 00:05:00");
        }

        if (options.CacheSize is < 0 or > 1_000_000)
        {
            failures.Add($"{prefix}{nameof(options.CacheSize)}: {options.CacheSize}: must be between 0 and 1000000");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
