using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;

namespace Stoker.Sync;

/// <summary>Everything one sync needs: the commit's content, the data directory, the resolved profile and the template context.</summary>
public sealed record SyncRequest
{
    public required ISourceTree Source { get; init; }

    /// <summary>The gateway's data directory; nothing is ever written outside it.</summary>
    public required string DataDirectory { get; init; }

    public required ResolvedProfile Profile { get; init; }

    public required TemplateContext Context { get; init; }

    /// <summary>Compute the diff and write nothing (the profile's own <c>dryRun</c> is the caller's business).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Where the manifest of the last sync is kept (the agent's work directory; it must be outside the data
    /// directory). Null disables the manifest: every sync then hashes every live file it compares.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// The data-directory-relative paths ('/'-separated) that may differ from what the last manifest recorded, as a
    /// change feed watching the data directory since before that manifest was saved reports them (see
    /// <see cref="DataDirectoryWatcher"/>). When given, and the manifest is of the same plan, the engine trusts the
    /// manifest for every other file and looks only at these paths instead of scanning every managed file. Null (the
    /// default) scans in full: the verification pass that finds any change made behind the agent's back.
    /// </summary>
    public IReadOnlyCollection<string>? ChangedSinceManifest { get; init; }
}
