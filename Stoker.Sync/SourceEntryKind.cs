namespace Stoker.Sync;

/// <summary>What a path in a commit is. Git records symlinks and submodules by mode, so they are visible without a checkout.</summary>
public enum SourceEntryKind
{
    File,
    Directory,
    Symlink,
    Submodule,
}
