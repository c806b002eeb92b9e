namespace Stoker.Sync;

/// <summary>
/// One entry of a commit's tree. <paramref name="Path"/> is repository-relative with '/' separators ("" is the
/// root); <paramref name="Id"/> is the git object id, which for a file is also the hash of its content
/// (see <see cref="GitBlobHash"/>).
/// </summary>
public sealed record SourceEntry(string Path, SourceEntryKind Kind, string Id, bool Executable);
