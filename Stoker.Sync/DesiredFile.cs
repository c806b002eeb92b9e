namespace Stoker.Sync;

/// <summary>A file the data directory should hold: where it comes from (mapping, repository path, blob).</summary>
internal sealed record DesiredFile(string Path, int Mapping, string Source, string BlobId, bool Executable);
