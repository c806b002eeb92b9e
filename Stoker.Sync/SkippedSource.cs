namespace Stoker.Sync;

/// <summary>
/// Repository content the sync left out on purpose: a symlink or submodule (never followed), or the missing
/// source of a mapping that is not <c>required</c>. <paramref name="Destination"/> is where it would have gone.
/// </summary>
public sealed record SkippedSource(string Source, string Destination, string Reason)
{
    public const string SymlinkReason = "symlink in the repository; symlinks are never followed";
    public const string SubmoduleReason = "git submodule; submodules are not synced";
}
