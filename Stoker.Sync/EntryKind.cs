namespace Stoker.Sync;

/// <summary>What a directory entry is, as the live scan sees it without following symlinks.</summary>
internal enum EntryKind
{
    File,
    Directory,
    Symlink,
}
