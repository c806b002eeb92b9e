using System.Globalization;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Audit;

/// <summary>Refuses an audit log that could grow without bound or could not be written, naming setting, value and rule.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    /// <summary>Below this a single record (up to about 2 KiB) could fill a file.</summary>
    public const long MinFileBytes = 4096;

    public const long MaxFileBytesCeiling = 1L << 30;

    public const int MaxFilesCeiling = 100;

    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxFileBytes is < MinFileBytes or > MaxFileBytesCeiling)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{AuditOptions.SectionName}:{nameof(options.MaxFileBytes)}: {options.MaxFileBytes}: must be between {MinFileBytes} and {MaxFileBytesCeiling} bytes"));
        }

        if (options.MaxFiles is < 1 or > MaxFilesCeiling)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{AuditOptions.SectionName}:{nameof(options.MaxFiles)}: {options.MaxFiles}: must be between 1 and {MaxFilesCeiling} (rotated files kept)"));
        }

        if (options.Path is { } path && path != AuditOptions.StandardOutput)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                failures.Add($"{AuditOptions.SectionName}:{nameof(options.Path)}: \"{path}\": must be a file path, \"{AuditOptions.StandardOutput}\" for standard output, or unset for the state folder's {AuditOptions.DefaultFileName}");
            }
            else if (Directory.Exists(path))
            {
                failures.Add($"{AuditOptions.SectionName}:{nameof(options.Path)}: \"{path}\": is a folder; name a file in it (e.g. {System.IO.Path.Join(path, AuditOptions.DefaultFileName)})");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
