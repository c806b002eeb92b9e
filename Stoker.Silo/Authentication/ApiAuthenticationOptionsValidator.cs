using Microsoft.Extensions.Options;

namespace Stoker.Silo.Authentication;

public sealed class ApiAuthenticationOptionsValidator : IValidateOptions<ApiAuthenticationOptions>
{
    private const string Prefix = ApiAuthenticationOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ApiAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{Prefix}Mode: \"{options.Mode}\": must be {ApiAuthenticationMode.Tokens} or {ApiAuthenticationMode.None}");
        }

        if (options.Mode == ApiAuthenticationMode.None && !options.AllowAnonymous)
        {
            failures.Add($"{Prefix}Mode: None: lets anyone call every route of the HTTP port; set {Prefix}AllowAnonymous=true to mean it");
        }

        if (options.TokensFile is { Length: 0 })
        {
            failures.Add($"{Prefix}TokensFile: \"\": must name a file, or be left unset");
        }

        foreach (var path in options.EffectiveAnonymousPaths)
        {
            if (path is not { Length: > 1 } || path[0] != '/' || path.Any(char.IsWhiteSpace))
            {
                failures.Add($"{Prefix}AnonymousPaths: \"{path}\": must be a route such as /metrics (a leading /, no spaces)");
            }
        }

        if (options.TokenReviewCacheDuration < TimeSpan.Zero || options.TokenReviewCacheDuration > ApiAuthenticationOptions.MaxTokenReviewCacheDuration)
        {
            failures.Add($"{Prefix}TokenReviewCacheDuration: {options.TokenReviewCacheDuration}: must be between 00:00:00 and {ApiAuthenticationOptions.MaxTokenReviewCacheDuration}");
        }

        if (options.AccessReviewCacheDuration < TimeSpan.Zero || options.AccessReviewCacheDuration > ApiAuthenticationOptions.MaxAccessReviewCacheDuration)
        {
            failures.Add($"{Prefix}AccessReviewCacheDuration: {options.AccessReviewCacheDuration}: must be between 00:00:00 and {ApiAuthenticationOptions.MaxAccessReviewCacheDuration}");
        }

        if (options.CacheSize < 0)
        {
            failures.Add($"{Prefix}CacheSize: {options.CacheSize}: must not be negative");
        }

        if (options.ReviewTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}ReviewTimeout: {options.ReviewTimeout}: must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
