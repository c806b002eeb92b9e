namespace Stoker.Sync;

/// <summary>
/// One file the last sync left in the data directory: where it came from, the recipe of its content (blob id plus the
/// mapping's render key, empty for bytes copied unchanged), the git blob hash of the bytes written, and the size and
/// modification time seen right after, which let the next sync trust an untouched file without reading it.
/// </summary>
public sealed record ManifestFile
{
    public int Mapping { get; init; }
    public string Source { get; init; } = "";
    public string Blob { get; init; } = "";
    public bool Executable { get; init; }
    public string RenderKey { get; init; } = "";
    public string Hash { get; init; } = "";
    public long Size { get; init; }
    public long ModifiedTicks { get; init; }

    /// <summary>Whether this entry's content was made from the same blob by the same recipe (so its hash still holds).</summary>
    public bool SameRecipe(string blob, string renderKey) => Blob == blob && RenderKey == renderKey;
}
