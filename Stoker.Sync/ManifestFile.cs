namespace Stoker.Sync;

/// <summary>
/// One file the last sync left in the data directory: where it came from, the key of its content recipe
/// (blob id + mapping render key), the git blob hash of the bytes written, and the size and modification time
/// seen right after, which let the next sync trust an untouched file without reading it.
/// </summary>
public sealed record ManifestFile
{
    public int Mapping { get; init; }
    public string Source { get; init; } = "";
    public string Blob { get; init; } = "";
    public bool Executable { get; init; }
    public string Key { get; init; } = "";
    public string Hash { get; init; } = "";
    public long Size { get; init; }
    public long ModifiedTicks { get; init; }
}
